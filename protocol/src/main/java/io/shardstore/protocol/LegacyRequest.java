package io.shardstore.protocol;

import io.netty.buffer.ByteBuf;

/** A request in an opcode that MongoDB removed in 6.0 (OP_INSERT, OP_UPDATE, OP_DELETE, OP_GET_MORE, OP_KILL_CURSORS). */
public record LegacyRequest(MsgHeader header, OpCode opCode, Compressor compressor, ByteBuf backing) implements WireRequest {

    /** Of the removed opcodes only OP_GET_MORE ever expected a reply. */
    public boolean expectsReply() {
        return opCode == OpCode.OP_GET_MORE;
    }
}
