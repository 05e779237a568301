package io.shardstore.node.command.repl;

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
 * replSetStepDown (rs.stepDown(secs, secondaryCatchUpPeriodSecs)): waits up to the catch-up period for an electable
 * secondary to reach this primary's last optime, steps down (no election here for secs), and asks that secondary to
 * stand at once. Runs on the blocking executor: it waits.
 */
public final class ReplSetStepDownCommand implements Command {

    @Override
    public String name() {
        return "replSetStepDown";
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        ReplicationCoordinator repl = Replication.initiated(ctx);
        long secs = ctx.body().get("replSetStepDown") instanceof Number n ? n.longValue() : 60;
        long catchUp = ctx.body().get("secondaryCatchUpPeriodSecs") instanceof Number n ? n.longValue() : Math.min(10, secs);
        boolean force = Boolean.TRUE.equals(ctx.body().get("force"));
        if (secs <= 0) {
            throw Errors.of(ErrorCode.BadValue, "stepdown period must be a positive integer");
        }
        if (catchUp > secs) {
            throw Errors.of(ErrorCode.BadValue, "stepdown period must be longer than secondaryCatchUpPeriodSecs");
        }
        if (!repl.isWritablePrimary()) {
            throw Errors.of(ErrorCode.NotWritablePrimary, "not primary so can't step down");
        }
        OpTime target = repl.lastApplied();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(catchUp);
        MemberConfig successor = repl.caughtUpElectable(target);
        while (successor == null && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            successor = repl.caughtUpElectable(target);
        }
        if (successor == null && !force) {
            throw Errors.of(ErrorCode.ExceededTimeLimit, "No electable secondaries caught up as of " + java.time.Instant.now()
                + ". Please use the replSetStepDown command with the argument {force: true} to force node to step down.");
        }
        if (!repl.stepDown(secs, "replSetStepDown")) {
            throw Errors.of(ErrorCode.NotWritablePrimary, "not primary so can't step down");
        }
        if (successor != null) {
            repl.askToStandForElection(successor);
        }
        return new Document("ok", 1.0);
    }
}
