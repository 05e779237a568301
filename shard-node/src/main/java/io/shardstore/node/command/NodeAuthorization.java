package io.shardstore.node.command;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.security.Authorizer;
import io.shardstore.security.UserRecord;

/**
 * With {@code --auth}: whether the connection's user may run the request ({@link Authorizer} over the built-in
 * roles), read off the request as mongod reads it: an aggregate's last stage, explain's inner command, usersInfo of a
 * single user. The localhost exception lets an anonymous client on this machine run createUser in admin; the command
 * itself refuses once any user exists.
 */
final class NodeAuthorization {
    private NodeAuthorization() {
    }

    static String refusal(CommandContext ctx) {
        List<UserRecord> users = ctx.connection().auth().users();
        if (users.isEmpty() && ctx.name().equals("createUser") && ctx.db().equals("admin") && ctx.connection().fromLocalhost()) {
            return null;
        }
        return Authorizer.check(users, ctx.name(), ctx.db(), writesOutput(ctx.body()), explained(ctx.body()), self(ctx));
    }

    private static boolean writesOutput(Document body) {
        if (!(body.get("pipeline") instanceof List<?> pipeline) || pipeline.isEmpty()) {
            return false;
        }
        return pipeline.get(pipeline.size() - 1) instanceof Document last && (last.containsKey("$out") || last.containsKey("$merge"));
    }

    private static String explained(Document body) {
        return body.get("explain") instanceof Document inner && !inner.isEmpty() ? inner.keySet().iterator().next() : null;
    }

    private static String self(CommandContext ctx) {
        Object arg = ctx.body().get("usersInfo");
        if (arg instanceof String name) {
            return ctx.db() + "." + name;
        }
        if (arg instanceof Document d && d.get("user") instanceof String name && d.get("db") instanceof String db) {
            return db + "." + name;
        }
        return null;
    }

    /**
     * listDatabases for a user without the listDatabases privilege shows only the databases a role is granted in
     * (MongoDB's authorizedDatabases).
     */
    static Document authorizedDatabases(Document reply, CommandContext ctx) {
        List<UserRecord> users = ctx.connection().auth().users();
        if (Authorizer.has(users, io.shardstore.security.Privilege.LIST_DATABASES, "admin") || !(reply.get("databases") instanceof List<?> dbs)) {
            return reply;
        }
        List<Object> kept = new java.util.ArrayList<>();
        for (Object db : dbs) {
            if (db instanceof Document d && d.get("name") instanceof String name && Authorizer.mayList(users, name)) {
                kept.add(d);
            }
        }
        Document filtered = new Document(reply);
        filtered.put("databases", kept);
        return filtered;
    }
}
