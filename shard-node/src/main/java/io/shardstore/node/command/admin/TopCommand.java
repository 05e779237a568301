package io.shardstore.node.command.admin;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/** top: operation counts per collection on this member (admin only, as in mongod). */
public final class TopCommand implements Command {

    @Override
    public String name() {
        return "top";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        if (!"admin".equals(ctx.db())) {
            throw Errors.of(ErrorCode.Unauthorized, "top may only be run against the admin database.");
        }
        return new Document("totals", ctx.node().top().toDocument()).append("ok", 1.0);
    }
}
