package io.shardstore.node.command.repl;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/** replSetStepUp: stand for election now (a stepping-down primary asks its most caught-up secondary). */
public final class ReplSetStepUpCommand implements Command {

    @Override
    public String name() {
        return "replSetStepUp";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        if (!Replication.initiated(ctx).standForElection("replSetStepUp", true)) {
            throw Errors.of(ErrorCode.CommandFailed, "this member cannot stand for election now");
        }
        return new Document("ok", 1.0);
    }
}
