package io.shardstore.node.command.repl;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.node.replication.ReplicationCoordinator;
import io.shardstore.protocol.ErrorCode;

/** replSetHeartbeat: between members; carries state, term, applied optime and, to members behind, the config. */
public final class ReplSetHeartbeatCommand implements Command {

    @Override
    public String name() {
        return "replSetHeartbeat";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        ReplicationCoordinator repl = Replication.of(ctx);
        if (repl.shuttingDown()) {
            throw Errors.of(ErrorCode.ShutdownInProgress, "in shutdown");
        }
        if (!repl.setName().equals(ctx.body().get("replSetHeartbeat"))) {
            throw Errors.of(ErrorCode.InconsistentReplicaSetNames, "replica set names do not match, ours: " + repl.setName()
                + "; remote node's: " + ctx.body().get("replSetHeartbeat"));
        }
        return repl.onHeartbeat(ctx.body());
    }
}
