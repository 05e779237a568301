package io.shardstore.node.command.auth;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonDocument;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Errors;
import io.shardstore.node.storage.StorageEngine;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.security.BuiltinRole;
import io.shardstore.security.UserRecord;

/**
 * The node's users, in {@code admin.system.users} as mongod keeps them (whatever database a user belongs to): read
 * and written through the engine as the node itself, on the storage thread, so they replicate like any write.
 */
final class Users {
    static final String DB = "admin";
    static final String COLLECTION = "system.users";

    private Users() {
    }

    static UserRecord find(StorageEngine storage, String db, String user) {
        List<Document> found = query(storage, new Document("_id", db + "." + user));
        return found.isEmpty() ? null : UserRecord.of(BsonBridge.toBson(found.get(0)));
    }

    static List<Document> query(StorageEngine storage, Document filter) {
        Document reply = storage.runAsSystem(DB, "find", new Document("find", COLLECTION).append("filter", filter)
            .append("batchSize", Integer.MAX_VALUE));
        List<Document> out = new ArrayList<>();
        if (reply.get("cursor") instanceof Document cursor && cursor.get("firstBatch") instanceof List<?> batch) {
            for (Object o : batch) {
                out.add((Document) o);
            }
        }
        return out;
    }

    static boolean any(StorageEngine storage) {
        Document reply = storage.runAsSystem(DB, "find", new Document("find", COLLECTION).append("limit", 1));
        return reply.get("cursor") instanceof Document cursor && cursor.get("firstBatch") instanceof List<?> batch && !batch.isEmpty();
    }

    static void insert(StorageEngine storage, BsonDocument user) {
        Document reply = storage.runAsSystem(DB, "insert", new Document("insert", COLLECTION)
            .append("documents", List.of(BsonBridge.toDocument(user))));
        if (reply.get("writeErrors") != null) {
            throw Errors.of(ErrorCode.OperationFailed, "could not store the user: " + reply.get("writeErrors"));
        }
    }

    static void replace(StorageEngine storage, BsonDocument user) {
        Document doc = BsonBridge.toDocument(user);
        Document reply = storage.runAsSystem(DB, "update", new Document("update", COLLECTION)
            .append("updates", List.of(new Document("q", new Document("_id", doc.get("_id"))).append("u", doc))));
        if (reply.get("writeErrors") != null) {
            throw Errors.of(ErrorCode.OperationFailed, "could not store the user: " + reply.get("writeErrors"));
        }
    }

    static long delete(StorageEngine storage, Document filter) {
        Document reply = storage.runAsSystem(DB, "delete", new Document("delete", COLLECTION)
            .append("deletes", List.of(new Document("q", filter).append("limit", 0))));
        return reply.get("n") instanceof Number n ? n.longValue() : 0;
    }

    /**
     * Roles as a command gives them: names (in the command's database) or {role, db} documents; each must be a
     * built-in role that exists in its database (MongoDB: RoleNotFound, 31).
     */
    static List<UserRecord.RoleName> roles(Object value, String db, String field) {
        if (!(value instanceof List<?> list)) {
            throw Errors.of(ErrorCode.BadValue, "\"" + field + "\" must be an array");
        }
        List<UserRecord.RoleName> out = new ArrayList<>();
        for (Object o : list) {
            UserRecord.RoleName role;
            if (o instanceof String name) {
                role = new UserRecord.RoleName(name, db);
            } else if (o instanceof Document d && d.get("role") instanceof String name && d.get("db") instanceof String roleDb) {
                role = new UserRecord.RoleName(name, roleDb);
            } else {
                throw Errors.of(ErrorCode.BadValue, "role names must be either strings or objects with role and db");
            }
            if (BuiltinRole.find(role.role(), role.db()) == null) {
                throw Errors.of(ErrorCode.RoleNotFound, "Could not find role: " + role.role() + "@" + role.db());
            }
            if (!out.contains(role)) {
                out.add(role);
            }
        }
        return out;
    }
}
