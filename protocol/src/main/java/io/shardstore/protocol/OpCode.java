package io.shardstore.protocol;

/** The opcodes of the MongoDB wire protocol. Only OP_MSG, OP_QUERY (handshake), OP_REPLY and OP_COMPRESSED are served. */
public enum OpCode {
    OP_REPLY(1),
    OP_UPDATE(2001),
    OP_INSERT(2002),
    OP_QUERY(2004),
    OP_GET_MORE(2005),
    OP_DELETE(2006),
    OP_KILL_CURSORS(2007),
    OP_COMPRESSED(2012),
    OP_MSG(2013);

    private final int code;

    OpCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @return the opcode, or null when the number names none. */
    public static OpCode of(int code) {
        for (OpCode op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        return null;
    }
}
