package io.shardstore.node.command.repl;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/** replSetGetConfig (rs.conf()). */
public final class ReplSetGetConfigCommand implements Command {

    @Override
    public String name() {
        return "replSetGetConfig";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        Document cfg = Replication.initiated(ctx).config().toDocument();
        cfg.put("term", ctx.node().replication().term());
        return new Document("config", cfg).append("ok", 1.0);
    }
}
