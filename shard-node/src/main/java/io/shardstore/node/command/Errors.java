package io.shardstore.node.command;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.MongoServerException;
import io.shardstore.protocol.ErrorCode;

/** Builds MongoDB errors (code + codeName) and error replies. */
public final class Errors {

    private Errors() {
    }

    public static MongoServerError of(ErrorCode code, String message) {
        return new MongoServerError(code.code(), code.codeName(), message);
    }

    /** An error mongod raises by assertion number rather than by a named code; its codeName is "Location" + code. */
    public static MongoServerError location(int code, String message) {
        return new MongoServerError(code, "Location" + code, message);
    }

    public static MongoServerError invalidNamespace(String message) {
        return of(ErrorCode.InvalidNamespace, message);
    }

    public static MongoServerError typeMismatch(String message) {
        return of(ErrorCode.TypeMismatch, message);
    }

    public static String typeName(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Document) {
            return "object";
        }
        if (value instanceof java.util.List) {
            return "array";
        }
        if (value instanceof Integer) {
            return "int";
        }
        if (value instanceof Long) {
            return "long";
        }
        if (value instanceof Double) {
            return "double";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        return value.getClass().getSimpleName();
    }

    /** The reply document for a failed command. */
    public static Document reply(Throwable failure) {
        Document reply = new Document("ok", 0.0);
        if (failure instanceof MongoServerError e) {
            reply.put("errmsg", e.getMessageWithoutErrorCode());
            reply.put("code", e.getCode());
            reply.put("codeName", e.getCodeName() != null ? e.getCodeName() : "Location" + e.getCode());
            if (e instanceof io.shardstore.node.sharding.ShardingState.StaleConfigException stale) {
                reply.putAll(stale.extra());
            }
        } else if (failure instanceof MongoServerException e) {
            reply.put("errmsg", e.getMessageWithoutErrorCode());
            reply.put("code", ErrorCode.CommandFailed.code());
            reply.put("codeName", ErrorCode.CommandFailed.codeName());
        } else {
            reply.put("errmsg", "internal error: " + failure);
            reply.put("code", ErrorCode.InternalError.code());
            reply.put("codeName", ErrorCode.InternalError.codeName());
        }
        return reply;
    }

    public static Document reply(ErrorCode code, String message) {
        return new Document("ok", 0.0).append("errmsg", message).append("code", code.code()).append("codeName", code.codeName());
    }
}
