package io.shardstore.node.command.admin;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/** connectionStatus: who the client is authenticated as, with the roles granted (nobody before a login). */
public final class ConnectionStatusCommand implements Command {

    @Override
    public String name() {
        return "connectionStatus";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        List<Document> users = new java.util.ArrayList<>();
        List<Document> roles = new java.util.ArrayList<>();
        for (io.shardstore.security.UserRecord u : ctx.connection() == null ? List.<io.shardstore.security.UserRecord>of() : ctx.connection().auth().users()) {
            users.add(new Document("user", u.user()).append("db", u.db()));
            u.roles().forEach(r -> roles.add(new Document("role", r.role()).append("db", r.db())));
        }
        return new Document("authInfo", new Document("authenticatedUsers", users)
            .append("authenticatedUserRoles", roles)).append("ok", 1.0);
    }
}
