package io.shardstore.node.command.repl;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.replication.StatusReport;

/**
 * replSetGetStatus (rs.status()). A standalone answers NoReplicationEnabled (76), an uninitiated member
 * NotYetInitialized (94), as mongod does.
 */
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
        return StatusReport.of(Replication.initiated(ctx));
    }
}
