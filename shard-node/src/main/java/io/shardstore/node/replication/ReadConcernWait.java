package io.shardstore.node.replication;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * What a read's {@code readConcern} makes it wait for before it runs on a replica-set member:
 * <ul>
 * <li>{@code afterClusterTime} / {@code afterOpTime} (causal consistency): until this member has applied that point;</li>
 * <li>{@code level: "majority"}: until everything this member had applied when the read arrived is known to be on a
 * majority, so the read returns only majority-committed data as of its arrival (the engine keeps no snapshots, so
 * a write applied while the read waits may show too: it is then at most as new as the wait's end);</li>
 * <li>{@code local} / {@code available}: nothing.</li>
 * </ul>
 * Waiting polls every few milliseconds off the event loops, bounded by {@code maxTimeMS} (MaxTimeMSExpired, 50) or,
 * without one, a minute. {@code linearizable} needs the primary; {@code snapshot} is refused (no snapshots).
 */
public final class ReadConcernWait {
    private static final long POLL_MILLIS = 5;
    private static final long DEFAULT_LIMIT_MILLIS = 60_000;

    private ReadConcernWait() {
    }

    /** @return null to run now, else a future that completes with null (run) or an error reply */
    public static CompletableFuture<Document> before(Document body, ReplicationCoordinator replication) {
        if (!(body.get("readConcern") instanceof Document rc) || rc.isEmpty()) {
            return null;
        }
        Object level = rc.getOrDefault("level", "local");
        OpTime after = after(rc);
        boolean majority = "majority".equals(level) || "linearizable".equals(level);
        if ("snapshot".equals(level)) {
            return CompletableFuture.completedFuture(Errors.reply(ErrorCode.InvalidOptions,
                "readConcern level 'snapshot' is not supported: this storage engine keeps no snapshots"));
        }
        if (!majority && !"local".equals(level) && !"available".equals(level)) {
            return CompletableFuture.completedFuture(Errors.reply(ErrorCode.FailedToParse,
                "readConcern.level must be one of local, available, majority, linearizable, snapshot; got " + level));
        }
        if ("linearizable".equals(level) && !replication.isWritablePrimary()) {
            return CompletableFuture.completedFuture(Errors.reply(ErrorCode.NotWritablePrimary,
                "cannot satisfy linearizable read concern on a non-primary node"));
        }
        if (!majority && after == null) {
            return null;
        }
        OpTime target = majority ? replication.lastApplied() : null;
        long limit = body.get("maxTimeMS") instanceof Number n && n.longValue() > 0 ? n.longValue() : DEFAULT_LIMIT_MILLIS;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limit);
        CompletableFuture<Document> ready = new CompletableFuture<>();
        poll(replication, after, target, deadline, ready);
        return ready;
    }

    private static OpTime after(Document rc) {
        if (rc.get("afterClusterTime") instanceof BsonTimestamp ts) {
            return new OpTime(ts.getValue(), -1);
        }
        OpTime op = OpTime.from(rc.get("afterOpTime"));
        return op == OpTime.NULL ? null : op;
    }

    private static void poll(ReplicationCoordinator replication, OpTime after, OpTime target, long deadline,
                             CompletableFuture<Document> ready) {
        try {
            check(replication, after, target, deadline, ready);
        } catch (RuntimeException e) {
            // On the delayed executor an exception would be dropped and the read never answered.
            ready.completeExceptionally(e);
        }
    }

    private static void check(ReplicationCoordinator replication, OpTime after, OpTime target, long deadline,
                              CompletableFuture<Document> ready) {
        boolean appliedEnough = after == null || Long.compareUnsigned(replication.lastApplied().ts(), after.ts()) >= 0;
        boolean committed = target == null || replication.writeConcern().majorityCommitted().atLeast(target);
        if (appliedEnough && committed) {
            ready.complete(null);
            return;
        }
        if (System.nanoTime() >= deadline) {
            ready.complete(Errors.reply(ErrorCode.MaxTimeMSExpired, "operation exceeded time limit waiting for read concern"));
            return;
        }
        Executor later = CompletableFuture.delayedExecutor(POLL_MILLIS, TimeUnit.MILLISECONDS);
        later.execute(() -> poll(replication, after, target, deadline, ready));
    }
}
