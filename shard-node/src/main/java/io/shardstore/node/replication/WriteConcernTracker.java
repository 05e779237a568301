package io.shardstore.node.replication;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.protocol.ErrorCode;

/**
 * Write concern on the primary: a write waits until enough members have applied its optime (w: N, "majority", or a
 * custom mode of settings.getLastErrorModes over member tags), or wtimeout passes. The wait completes with null
 * (satisfied) or the writeConcernError document; nobody blocks while it lasts. Every wait ends: satisfied, timed out,
 * or at a step-down (189), also one registered on a member that is no longer primary.
 */
public final class WriteConcernTracker {
    private record Waiter(OpTime opTime, Object w, Document writeConcern, CompletableFuture<Document> done) {
    }

    private final ReplicationCoordinator coordinator;
    private final List<Waiter> waiters = new ArrayList<>();

    WriteConcernTracker(ReplicationCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    /**
     * Waits for {@code opTime} to be replicated as {@code writeConcern} asks; null when there is nothing to wait for
     * (w: 0 or 1). A write concern without w gets the implicit default, as from MongoDB 5.0 on.
     */
    public CompletableFuture<Document> await(OpTime opTime, Object writeConcern) {
        return await(opTime, writeConcern, 0);
    }

    /**
     * As {@link #await(OpTime, Object)}, bounded also by the command's {@code maxTimeMS} (0: none), which in mongod
     * covers the wait for the write concern: past it the write is answered with a writeConcernError
     * MaxTimeMSExpired (50) instead of waiting on for members that may never catch up.
     */
    public CompletableFuture<Document> await(OpTime opTime, Object writeConcern, long maxTimeMillis) {
        ReplSetConfig cfg = coordinator.config();
        Document given = writeConcern instanceof Document d ? d : new Document();
        Document wc = given.containsKey("w") ? given : withDefault(given, cfg);
        Object w = wc.get("w");
        if (w == null || (w instanceof Number n && n.intValue() <= 1)) {
            return null;
        }
        Document refusal = validate(cfg, w, wc);
        if (refusal != null) {
            return CompletableFuture.completedFuture(refusal);
        }
        Waiter waiter = new Waiter(opTime, w, wc, new CompletableFuture<>());
        synchronized (this) {
            waiters.add(waiter);
        }
        if (!coordinator.isWritablePrimary()) {
            // Stepped down between the write and this registration: the step-down's failAllSteppedDown may have run
            // already, and nothing else would end this wait (its term's majority may never come). Checked after
            // registering, so a step-down after the check finds the waiter.
            synchronized (this) {
                waiters.remove(waiter);
            }
            waiter.done().complete(error(ErrorCode.PrimarySteppedDown, "primary stepped down while waiting for replication", wc));
            return waiter.done();
        }
        long wtimeout = wc.get("wtimeout") instanceof Number n ? n.longValue() : 0;
        if (wtimeout > 0) {
            giveUpAfter(waiter, wtimeout, error(ErrorCode.WriteConcernTimeout, "waiting for replication timed out", wc)
                .append("errInfo", new Document("wtimeout", true).append("writeConcern", wc)));
        }
        if (maxTimeMillis > 0) {
            giveUpAfter(waiter, maxTimeMillis, error(ErrorCode.MaxTimeMSExpired, "operation exceeded time limit", wc));
        }
        recheck();
        return waiter.done();
    }

    /** Ends the wait with {@code error} after {@code millis}, unless it ended before (the first outcome counts). */
    private void giveUpAfter(Waiter waiter, long millis, Document error) {
        var timer = coordinator.timers.schedule(() -> {
            synchronized (this) {
                waiters.remove(waiter);
            }
            waiter.done().complete(error);
        }, millis, TimeUnit.MILLISECONDS);
        waiter.done().whenComplete((done, failure) -> timer.cancel(false)); // a satisfied write holds no timer
    }

    /**
     * MongoDB's implicit default write concern: "majority", but w: 1 when arbiters make a majority of voters without
     * enough data-bearing voters (then "majority" could wait for an arbiter that never has the write). Without it a
     * driver's default write was acknowledged by the primary alone and lost when that primary was killed.
     */
    /**
     * A write concern without {@code w} gets the set's default: the one {@code setDefaultRWConcern} stored
     * ("customDefault"), else MongoDB 5.0's implicit default ("implicitDefault"). Storage thread.
     */
    private Document withDefault(Document given, ReplSetConfig cfg) {
        Document custom = RWConcernDefaults.writeConcern(coordinator.storage());
        if (custom != null) {
            Document wc = new Document(custom);
            wc.putAll(given);
            return wc.append("provenance", "customDefault");
        }
        return new Document(given).append("w", implicitDefaultW(cfg)).append("provenance", "implicitDefault");
    }

    static Object implicitDefaultW(ReplSetConfig cfg) {
        if (cfg == null) {
            return 1;
        }
        long arbiters = cfg.members().stream().filter(MemberConfig::arbiterOnly).count();
        long votingData = cfg.members().stream().filter(m -> m.voter() && m.dataBearing()).count();
        return arbiters > 0 && votingData <= cfg.majority() ? (Object) 1 : "majority";
    }

    private static Document validate(ReplSetConfig cfg, Object w, Document wc) {
        if (cfg == null) {
            return error(ErrorCode.NotYetInitialized, "no replica set config", wc);
        }
        if (w instanceof Number n) {
            long dataBearing = cfg.members().stream().filter(MemberConfig::dataBearing).count();
            if (n.intValue() > dataBearing) {
                return error(ErrorCode.UnsatisfiableWriteConcern, "Not enough data-bearing nodes", wc);
            }
            return null;
        }
        if ("majority".equals(w)) {
            return null;
        }
        if (w instanceof String mode && cfg.getLastErrorModes().get(mode) instanceof Document) {
            return null;
        }
        if (w instanceof String mode) {
            return error(ErrorCode.UnknownReplWriteConcern, "unrecognized write concern mode: " + mode, wc);
        }
        return error(ErrorCode.FailedToParse, "w has to be a number or a string", wc);
    }

    /** Completes every waiter whose write has now replicated far enough. */
    public void recheck() {
        ReplSetConfig cfg = coordinator.config();
        Map<Integer, OpTime> positions = coordinator.positions();
        long ownTerm = coordinator.lastApplied().term();
        List<Waiter> satisfied = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
                Waiter waiter = it.next();
                if (cfg != null && satisfied(cfg, positions, waiter.opTime(), waiter.w(), ownTerm)) {
                    it.remove();
                    satisfied.add(waiter);
                }
            }
        }
        satisfied.forEach(waiter -> waiter.done().complete(null));
    }

    /** {@code ownTerm}: the term of this member's own newest entry (see {@link #holds}). */
    static boolean satisfied(ReplSetConfig cfg, Map<Integer, OpTime> positions, OpTime op, Object w, long ownTerm) {
        List<MemberConfig> acked = new ArrayList<>();
        for (MemberConfig m : cfg.members()) {
            OpTime at = positions.get(m.id());
            if (m.dataBearing() && at != null && holds(at, op, ownTerm)) {
                acked.add(m);
            }
        }
        if (w instanceof Number n) {
            return acked.size() >= n.intValue();
        }
        if ("majority".equals(w)) {
            return acked.stream().filter(MemberConfig::voter).count() >= cfg.writeMajority();
        }
        if (cfg.getLastErrorModes().get(w) instanceof Document rule) {
            for (String tag : rule.keySet()) {
                Set<String> values = new HashSet<>();
                for (MemberConfig m : acked) {
                    String value = m.tags().get(tag);
                    if (value != null) {
                        values.add(value);
                    }
                }
                if (values.size() < ((Number) rule.get(tag)).intValue()) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Whether a member whose last applied entry is {@code at} has the entry {@code op} of this member's history: when
     * both were written in the same term (by one primary, so on one history) and {@code at} is not older; or when
     * {@code at} is in the term of this member's own newest entry ({@code ownTerm}), later than {@code op}: the member
     * then applied entries this member wrote after {@code op}, on top of the same history. Any other position says
     * nothing: a member that applied a newer primary's entries has a history that may lack {@code op}, and a deposed
     * primary that has not heard of the new term yet (its newest entry is still in its old term) must not count it,
     * or it acknowledges a write the new primary does not have, which is then rolled back.
     */
    static boolean holds(OpTime at, OpTime op, long ownTerm) {
        if (at.term() == op.term()) {
            return Long.compareUnsigned(at.ts(), op.ts()) >= 0;
        }
        return at.term() == ownTerm && at.term() > op.term();
    }

    /**
     * The newest optime a write majority of voting data-bearing members has applied (what w: "majority" has reached),
     * as this member knows the others' positions.
     */
    public OpTime majorityCommitted() {
        ReplSetConfig cfg = coordinator.config();
        if (cfg == null) {
            return OpTime.NULL;
        }
        Map<Integer, OpTime> positions = coordinator.positions();
        long term = coordinator.lastApplied().term();
        List<OpTime> applied = new ArrayList<>();
        for (MemberConfig m : cfg.members()) {
            if (m.voter() && m.dataBearing()) {
                // Only positions on this member's history count (see holds): those of its own last entry's term.
                OpTime at = positions.getOrDefault(m.id(), OpTime.NULL);
                applied.add(at.term() == term ? at : OpTime.NULL);
            }
        }
        applied.sort((a, b) -> Long.compareUnsigned(b.ts(), a.ts()));
        int needed = cfg.writeMajority();
        return needed <= 0 || applied.size() < needed ? OpTime.NULL : applied.get(needed - 1);
    }

    /** The primary stepped down: writes still waiting learn it. */
    void failAllSteppedDown() {
        List<Waiter> all;
        synchronized (this) {
            all = new ArrayList<>(waiters);
            waiters.clear();
        }
        all.forEach(waiter -> waiter.done().complete(
            error(ErrorCode.PrimarySteppedDown, "primary stepped down while waiting for replication", waiter.writeConcern())));
    }

    private static Document error(ErrorCode code, String message, Document wc) {
        return new Document("code", code.code()).append("codeName", code.codeName()).append("errmsg", message)
            .append("errInfo", new Document("writeConcern", wc));
    }
}
