package io.shardstore.node.command.admin;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/** ping: liveness, used by drivers' monitors. */
public final class PingCommand implements Command {

    @Override
    public String name() {
        return "ping";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        return new Document("ok", 1.0);
    }
}
