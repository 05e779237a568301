package io.shardstore.node.command.auth;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/** logout: the connection is no longer authenticated. */
public final class LogoutCommand implements Command {

    @Override
    public String name() {
        return "logout";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        ctx.connection().auth().logout();
        return new Document("ok", 1.0);
    }
}
