package io.shardstore.node.command.repl;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/**
 * replSetRequestVotes: a candidate asks for this member's vote in its term. Blocking: a granted vote is made durable
 * before the answer, which waits for the storage thread and the journal.
 */
public final class ReplSetRequestVotesCommand implements Command {

    @Override
    public String name() {
        return "replSetRequestVotes";
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        return Replication.of(ctx).onRequestVotes(ctx.body());
    }
}
