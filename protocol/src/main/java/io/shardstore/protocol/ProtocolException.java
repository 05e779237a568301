package io.shardstore.protocol;

/**
 * A request that breaks the wire protocol. {@code fatal} ones end the connection after the
 * error reply (as mongod does for ConnectionFatalMessageParseError codes).
 */
public class ProtocolException extends RuntimeException {
    private final ErrorCode code;
    private final boolean fatal;

    public ProtocolException(ErrorCode code, String message, boolean fatal) {
        super(message);
        this.code = code;
        this.fatal = fatal;
    }

    public ErrorCode code() {
        return code;
    }

    public boolean fatal() {
        return fatal;
    }
}
