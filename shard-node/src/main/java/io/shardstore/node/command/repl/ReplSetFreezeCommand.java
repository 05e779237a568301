package io.shardstore.node.command.repl;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.node.replication.ReplicationCoordinator;
import io.shardstore.protocol.ErrorCode;

/** replSetFreeze (rs.freeze(secs)): this member does not stand for election for secs seconds; 0 unfreezes. */
public final class ReplSetFreezeCommand implements Command {

    @Override
    public String name() {
        return "replSetFreeze";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        ReplicationCoordinator repl = Replication.initiated(ctx);
        if (!(ctx.body().get("replSetFreeze") instanceof Number secs) || secs.longValue() < 0) {
            throw Errors.of(ErrorCode.BadValue, "replSetFreeze needs a number of seconds");
        }
        if (repl.isWritablePrimary()) {
            throw Errors.of(ErrorCode.NotSecondary, "cannot freeze node when primary or running for election. state: Primary");
        }
        repl.freeze(secs.longValue());
        Document reply = new Document();
        if (secs.longValue() == 0) {
            reply.put("info", "unfreezing");
        }
        return reply.append("ok", 1.0);
    }
}
