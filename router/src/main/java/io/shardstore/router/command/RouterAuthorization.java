package io.shardstore.router.command;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.shardstore.router.frontend.ClientInfo;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.security.Authorizer;

/**
 * With {@code --auth}: whether the client's user may run the request ({@link Authorizer}), read off the request's
 * recorded fields: an aggregate's last stage, explain's inner command, usersInfo of a single user. The localhost
 * exception lets an anonymous local client send createUser on admin; the command checks that no user exists yet.
 */
final class RouterAuthorization {
    private RouterAuthorization() {
    }

    static String refusal(RouterRequest request, ClientInfo client) {
        var users = client.auth().users();
        if (users.isEmpty() && request.name().equals("createUser") && "admin".equals(request.db()) && client.fromLocalhost()) {
            return null;
        }
        return Authorizer.check(users, request.name(), request.db(), writesOutput(request), explained(request), self(request));
    }

    private static boolean writesOutput(RouterRequest request) {
        BsonValue pipeline = request.value("pipeline");
        if (pipeline == null || !pipeline.isArray() || pipeline.asArray().isEmpty()) {
            return false;
        }
        BsonValue last = pipeline.asArray().get(pipeline.asArray().size() - 1);
        return last.isDocument() && (last.asDocument().containsKey("$out") || last.asDocument().containsKey("$merge"));
    }

    private static String explained(RouterRequest request) {
        BsonValue inner = request.value("explain");
        return inner != null && inner.isDocument() && !inner.asDocument().isEmpty() ? inner.asDocument().getFirstKey() : null;
    }

    private static String self(RouterRequest request) {
        BsonValue arg = request.value("usersInfo");
        if (arg != null && arg.isString()) {
            return request.db() + "." + arg.asString().getValue();
        }
        if (arg instanceof BsonDocument d && d.isString("user") && d.isString("db")) {
            return d.getString("db").getValue() + "." + d.getString("user").getValue();
        }
        return null;
    }

    /**
     * listDatabases for a user without the listDatabases privilege shows only the databases a role is granted in
     * (MongoDB's authorizedDatabases).
     */
    static BsonDocument authorizedDatabases(BsonDocument reply, ClientInfo client) {
        var users = client.auth().users();
        if (Authorizer.has(users, io.shardstore.security.Privilege.LIST_DATABASES, "admin") || !reply.isArray("databases")) {
            return reply;
        }
        BsonDocument filtered = reply.clone();
        org.bson.BsonArray kept = new org.bson.BsonArray();
        for (BsonValue db : reply.getArray("databases")) {
            if (db.isDocument() && db.asDocument().isString("name") && Authorizer.mayList(users, db.asDocument().getString("name").getValue())) {
                kept.add(db);
            }
        }
        filtered.put("databases", kept);
        return filtered;
    }
}
