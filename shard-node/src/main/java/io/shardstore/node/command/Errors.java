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
        } else if (failure instanceof ClassCastException e) {
            // A field of a type no check expected (the engine reads it as the type it should be): mongod's answer to a
            // field of the wrong type is TypeMismatch, not an internal error (found by the wire fuzzer).
            reply.put("errmsg", wrongType(e));
            reply.put("code", ErrorCode.TypeMismatch.code());
            reply.put("codeName", ErrorCode.TypeMismatch.codeName());
        } else if (failure instanceof IllegalArgumentException e) {
            // The engine's refusal of a value it cannot take (a field named "$", say): bad input, not a server fault.
            reply.put("errmsg", String.valueOf(e.getMessage()));
            reply.put("code", ErrorCode.BadValue.code());
            reply.put("codeName", ErrorCode.BadValue.codeName());
        } else {
            reply.put("errmsg", "internal error: " + failure);
            reply.put("code", ErrorCode.InternalError.code());
            reply.put("codeName", ErrorCode.InternalError.codeName());
        }
        return reply;
    }

    private static final java.util.regex.Pattern CAST = java.util.regex.Pattern.compile("class (\\S+) cannot be cast to class (\\S+)");

    /** "a field has the wrong type: 'array' where 'object' is expected", from the JVM's cast message. */
    static String wrongType(ClassCastException e) {
        java.util.regex.Matcher m = CAST.matcher(String.valueOf(e.getMessage()));
        if (!m.find()) {
            return "a field has the wrong type";
        }
        return "a field has the wrong type: '" + bsonType(m.group(1)) + "' where '" + bsonType(m.group(2)) + "' is expected";
    }

    private static String bsonType(String javaClass) {
        return switch (javaClass.substring(javaClass.lastIndexOf('.') + 1)) {
            case "Document" -> "object";
            case "ArrayList", "List", "Collection" -> "array";
            case "String" -> "string";
            case "Integer" -> "int";
            case "Long" -> "long";
            case "Double" -> "double";
            case "Number" -> "number";
            case "Boolean" -> "bool";
            case "BinData", "LegacyUUID", "UUID" -> "binData";
            case "ObjectId" -> "objectId";
            case "Instant", "Date" -> "date";
            case "BsonTimestamp" -> "timestamp";
            case "Decimal128", "BigDecimal" -> "decimal";
            default -> javaClass.substring(javaClass.lastIndexOf('.') + 1);
        };
    }

    public static Document reply(ErrorCode code, String message) {
        return new Document("ok", 0.0).append("errmsg", message).append("code", code.code()).append("codeName", code.codeName());
    }
}
