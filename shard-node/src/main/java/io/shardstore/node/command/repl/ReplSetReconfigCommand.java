package io.shardstore.node.command.repl;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.node.replication.ReplSetConfig;
import io.shardstore.node.replication.ReplicationCoordinator;
import io.shardstore.protocol.ErrorCode;

/**
 * replSetReconfig (rs.reconfig, rs.add, rs.addArb, rs.remove): the primary takes a config with a higher version; the
 * other members get it with the next heartbeats. {force: true} lets a non-primary take it (and any version).
 */
public final class ReplSetReconfigCommand implements Command {

    @Override
    public String name() {
        return "replSetReconfig";
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        ReplicationCoordinator repl = Replication.initiated(ctx);
        if (!(ctx.body().get("replSetReconfig") instanceof Document raw)) {
            throw Errors.of(ErrorCode.TypeMismatch, "replSetReconfig needs a config object");
        }
        boolean force = Boolean.TRUE.equals(ctx.body().get("force"));
        Document copy = raw.cloneDeeply();
        if (force && !(copy.get("version") instanceof Number)) {
            copy.put("version", repl.config().version() + 1);
        }
        ReplSetConfig next = ReplSetConfig.parse(copy);
        String refused = repl.reconfig(next, force);
        if (refused != null) {
            ErrorCode code = refused.startsWith("replSetReconfig should only") ? ErrorCode.NotWritablePrimary
                : refused.startsWith("New config version") ? ErrorCode.NewReplicaSetConfigurationIncompatible
                : refused.startsWith("no replset") ? ErrorCode.NotYetInitialized : ErrorCode.InvalidReplicaSetConfig;
            throw Errors.of(code, refused);
        }
        return new Document("ok", 1.0);
    }
}
