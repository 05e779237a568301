package io.shardstore.node.command.admin;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/** connectionStatus: who the client is authenticated as (nobody: the node runs without auth). */
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
        return new Document("authInfo", new Document("authenticatedUsers", List.of())
            .append("authenticatedUserRoles", List.of())).append("ok", 1.0);
    }
}
