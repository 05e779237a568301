package io.shardstore.node.command.repl;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/** replSetUpdatePosition: a member syncing from this one reports how far it has applied (for write concern). */
public final class ReplSetUpdatePositionCommand implements Command {

    @Override
    public String name() {
        return "replSetUpdatePosition";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        if (ctx.body().get("optimes") instanceof List<?> optimes) {
            long term = ctx.body().get("term") instanceof Number t ? t.longValue() : -1;
            Replication.initiated(ctx).onUpdatePosition(optimes, term);
        }
        return new Document("ok", 1.0);
    }
}
