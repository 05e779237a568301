package io.shardstore.node.command.repl;

import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.node.replication.ReplicationCoordinator;
import io.shardstore.protocol.ErrorCode;

/** The replica-set commands' common checks. */
final class Replication {

    private Replication() {
    }

    /** The node's replication; a node started without --replSet answers NoReplicationEnabled (76), as mongod does. */
    static ReplicationCoordinator of(CommandContext ctx) {
        ReplicationCoordinator repl = ctx.node().replication();
        if (repl == null) {
            throw Errors.of(ErrorCode.NoReplicationEnabled, "not running with --replSet");
        }
        return repl;
    }

    /** The node's replication once a config is installed; before that NotYetInitialized (94). */
    static ReplicationCoordinator initiated(CommandContext ctx) {
        ReplicationCoordinator repl = of(ctx);
        if (repl.config() == null) {
            throw Errors.of(ErrorCode.NotYetInitialized, "no replset config has been received");
        }
        return repl;
    }
}
