package io.shardstore.router.command;

import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;

import io.shardstore.protocol.ErrorCode;

/** A MongoDB error the router answers with (code, codeName, message). */
public class RouterError extends RuntimeException {
    /** Details of a shard's error that a client reads (DuplicateKey's keyPattern / keyValue, errInfo), passed on. */
    private static final java.util.List<String> DETAILS = java.util.List.of("keyPattern", "keyValue", "errInfo", "resolvedView");

    private final int code;
    private final String codeName;
    private final BsonDocument details = new BsonDocument();

    public RouterError(ErrorCode code, String message) {
        this(code.code(), code.codeName(), message);
    }

    public RouterError(int code, String codeName, String message) {
        super(message);
        this.code = code;
        this.codeName = codeName;
    }

    public int code() {
        return code;
    }

    public String codeName() {
        return codeName;
    }

    /** Details of the shard's error passed on with it (see DETAILS). */
    public BsonDocument details() {
        return details;
    }

    public BsonDocument toReply() {
        BsonDocument reply = new BsonDocument("ok", new BsonDouble(0)).append("errmsg", new BsonString(getMessage()))
            .append("code", new BsonInt32(code)).append("codeName", new BsonString(codeName));
        details.forEach(reply::append);
        return reply;
    }

    /** The error in a shard's {@code {ok: 0, code, codeName, errmsg}} reply. */
    public static RouterError fromReply(BsonDocument reply) {
        int code = reply.containsKey("code") ? reply.getNumber("code").intValue() : ErrorCode.CommandFailed.code();
        String name = reply.containsKey("codeName") ? reply.getString("codeName").getValue() : "Location" + code;
        String msg = reply.containsKey("errmsg") ? reply.getString("errmsg").getValue() : "command failed";
        if (code == ErrorCode.StaleConfig.code() && reply.containsKey("ns")) {
            return new StaleConfigError(reply.getString("ns").getValue(), msg);
        }
        RouterError error = new RouterError(code, name, msg);
        for (String field : DETAILS) {
            if (reply.containsKey(field)) {
                error.details.put(field, reply.get(field));
            }
        }
        return error;
    }

    /** A shard holds a newer version of {@code ns} than this router: refresh and retry. */
    public static final class StaleConfigError extends RouterError {
        private final String ns;

        public StaleConfigError(String ns, String message) {
            super(ErrorCode.StaleConfig, message);
            this.ns = ns;
        }

        public String ns() {
            return ns;
        }
    }
}
