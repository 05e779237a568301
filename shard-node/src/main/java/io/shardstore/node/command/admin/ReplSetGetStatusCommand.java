package io.shardstore.node.command.admin;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/** replSetGetStatus (rs.status()): a standalone answers NoReplicationEnabled, as mongod without --replSet does. */
public final class ReplSetGetStatusCommand implements Command {

    @Override
    public String name() {
        return "replSetGetStatus";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        throw Errors.of(ErrorCode.NoReplicationEnabled, "not running with --replSet");
    }
}
