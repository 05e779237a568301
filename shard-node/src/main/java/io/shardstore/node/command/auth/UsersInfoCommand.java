package io.shardstore.node.command.auth;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.security.UserRecord;

/**
 * usersInfo: {@code 1} (every user of the database), a name, {@code {user, db}}, a list of those, or
 * {@code {forAllDBs: true}}. Credentials are shown only with {@code showCredentials: true}; never a password, as none
 * is kept.
 */
public final class UsersInfoCommand implements Command {

    @Override
    public String name() {
        return "usersInfo";
    }

    @Override
    public Document run(CommandContext ctx) {
        Object arg = ctx.body().get("usersInfo");
        List<Document> filters = new ArrayList<>();
        if (arg instanceof Number) {
            filters.add(new Document("db", ctx.db()));
        } else if (arg instanceof Document d && Boolean.TRUE.equals(d.get("forAllDBs"))) {
            filters.add(new Document());
        } else if (arg instanceof List<?> list) {
            for (Object o : list) {
                filters.add(filter(o, ctx.db()));
            }
        } else {
            filters.add(filter(arg, ctx.db()));
        }
        boolean showCredentials = Boolean.TRUE.equals(ctx.body().get("showCredentials"));
        List<Document> users = new ArrayList<>();
        for (Document filter : filters) {
            for (Document found : Users.query(ctx.node().storage(), filter)) {
                users.add(BsonBridge.toDocument(describe(UserRecord.of(BsonBridge.toBson(found)), showCredentials)));
            }
        }
        return new Document("users", users).append("ok", 1.0);
    }

    private static Document filter(Object o, String db) {
        if (o instanceof String name) {
            return new Document("_id", db + "." + name);
        }
        if (o instanceof Document d && d.get("user") instanceof String name && d.get("db") instanceof String userDb) {
            return new Document("_id", userDb + "." + name);
        }
        throw Errors.of(ErrorCode.BadValue, "User name must be either a string or an object with user and db");
    }

    /** A user as usersInfo shows it: no credentials unless asked, the mechanisms it has them for. */
    static BsonDocument describe(UserRecord user, boolean showCredentials) {
        BsonDocument doc = user.document();
        BsonDocument out = new BsonDocument("_id", doc.get("_id")).append("userId", doc.get("userId"))
            .append("user", new BsonString(user.user())).append("db", new BsonString(user.db()));
        if (doc.containsKey("customData")) {
            out.append("customData", doc.get("customData"));
        }
        out.append("roles", UserRecord.rolesArray(user.roles()));
        if (showCredentials) {
            out.append("credentials", user.credentials());
        }
        BsonArray mechanisms = new BsonArray();
        user.mechanisms().forEach(m -> mechanisms.add(new BsonString(m)));
        out.append("mechanisms", mechanisms);
        return out;
    }
}
