package io.shardstore.node.command.admin;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.node.replication.MemberConfig;
import io.shardstore.node.replication.OpTime;
import io.shardstore.node.replication.ReplicationCoordinator;
import io.shardstore.protocol.ErrorCode;

/**
 * shutdown ({@code db.adminCommand({shutdown: 1})}), as mongod: only on admin; a primary first waits up to
 * {@code timeoutSecs} (15) for an electable secondary to catch up and steps down to it, and without one refuses with
 * ExceededTimeLimit (262) unless {@code force: true}. Then the node shuts down (the process exits), after the reply.
 * With --auth it needs hostManager (or clusterAdmin, root).
 */
public final class ShutdownCommand implements Command {

    @Override
    public String name() {
        return "shutdown";
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        if (!"admin".equals(ctx.db())) {
            throw Errors.of(ErrorCode.Unauthorized, "shutdown may only be run against the admin database.");
        }
        boolean force = Boolean.TRUE.equals(ctx.body().get("force"));
        long timeoutSecs = ctx.body().get("timeoutSecs") instanceof Number n ? n.longValue() : 15;
        ReplicationCoordinator repl = ctx.node().replication();
        if (repl != null && repl.isWritablePrimary()) {
            OpTime target = repl.lastApplied();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSecs);
            MemberConfig successor = repl.caughtUpElectable(target);
            while (successor == null && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // polls the secondaries' positions, bounded
                successor = repl.caughtUpElectable(target);
            }
            if (successor == null && !force) {
                throw Errors.of(ErrorCode.ExceededTimeLimit, "No electable secondaries caught up as of " + java.time.Instant.now()
                    + ". Please use the shutdown command with the argument {force: true} to force node to shut down.");
            }
            if (repl.stepDown(Math.max(1, timeoutSecs), "shutdown") && successor != null) {
                repl.askToStandForElection(successor);
            }
        }
        ctx.node().requestShutdown();
        return new Document("ok", 1.0);
    }
}
