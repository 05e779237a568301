package io.shardstore.router.command.analysis;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.sharding.ShardKeyPattern;

/** Argument checks the shard-key analysis commands share, with MongoDB's IDL messages. */
final class Types {
    private Types() {
    }

    static String name(BsonValue v) {
        if (v == null) {
            return "missing";
        }
        return switch (v.getBsonType()) {
            case DOUBLE -> "double";
            case STRING -> "string";
            case DOCUMENT -> "object";
            case ARRAY -> "array";
            case BOOLEAN -> "bool";
            case INT32 -> "int";
            case INT64 -> "long";
            case NULL -> "null";
            case DECIMAL128 -> "decimal";
            default -> v.getBsonType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The command's own argument, a "db.collection" namespace; TypeMismatch or InvalidNamespace otherwise. */
    static String namespace(RouterRequest request) {
        BsonValue ns = request.value(request.name());
        if (ns == null || !ns.isString()) {
            throw new RouterError(ErrorCode.TypeMismatch, "BSON field '" + request.name() + "." + request.name()
                + "' is the wrong type '" + name(ns) + "', expected type 'string'");
        }
        String namespace = ns.asString().getValue();
        int dot = namespace.indexOf('.');
        if (dot <= 0 || dot == namespace.length() - 1) {
            throw new RouterError(ErrorCode.InvalidNamespace, "Invalid namespace specified '" + namespace + "'");
        }
        String db = namespace.substring(0, dot);
        String coll = namespace.substring(dot + 1);
        // As mongod: the shard-key analysis is for users' collections.
        if (db.equals("admin") || db.equals("config") || db.equals("local")) {
            throw new RouterError(ErrorCode.IllegalOperation, "Cannot run against an internal collection: " + namespace);
        }
        if (coll.startsWith("system.")) {
            throw new RouterError(ErrorCode.IllegalOperation, "Cannot run against a system collection: " + namespace);
        }
        return namespace;
    }

    /** A required field; MongoDB's IDL error (40414) when it is missing. */
    static BsonValue required(RouterRequest request, String field) {
        BsonValue v = request.value(field);
        if (v == null) {
            throw new RouterError(40414, "Location40414", "BSON field '" + request.name() + "." + field
                + "' is missing but a required field");
        }
        return v;
    }

    static boolean bool(RouterRequest request, String field, boolean otherwise) {
        BsonValue v = request.value(field);
        if (v == null) {
            return otherwise;
        }
        if (!v.isBoolean()) {
            throw new RouterError(ErrorCode.TypeMismatch, "BSON field '" + request.name() + "." + field + "' is the wrong type '"
                + name(v) + "', expected type 'bool'");
        }
        return v.asBoolean().getValue();
    }

    /**
     * A shard key document, as ShardKeyPattern takes it (1 or "hashed", at most one hashed field), with field paths
     * MongoDB accepts (not empty, no '$' part, no empty part); BadValue otherwise.
     */
    static ShardKeyPattern shardKey(BsonDocument key) {
        for (String f : key.keySet()) {
            if (f.isEmpty() || f.startsWith("$") || f.startsWith(".") || f.endsWith(".") || f.contains("..") || f.contains(".$")) {
                throw new RouterError(ErrorCode.BadValue, "Shard key " + key.toJson() + " is invalid: '" + f + "' is not a field path");
            }
        }
        try {
            return new ShardKeyPattern(key);
        } catch (IllegalArgumentException e) {
            throw new RouterError(ErrorCode.BadValue, e.getMessage());
        }
    }
}
