package io.shardstore.node.replication;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A new primary's catch-up (mongod's settings.catchUpTimeoutMillis): a member that wins an election while a healthy
 * member is known (by heartbeats) to have applied more (an entry the old primary replicated to a minority that did
 * not vote for it) first pulls up to that member's position, and only then takes writes, so those entries are not
 * rolled back. It stays a secondary meanwhile, and says so in its heartbeats, so the others do not stand. Here the wait
 * is at most electionTimeoutMillis, even with mongod's default -1 (no limit); 0 turns catch-up off. Only a member heard
 * from within the last two heartbeats is a source: the old primary, just killed, is often still marked healthy (the
 * failed heartbeat not yet seen) and has the newest entries, and waiting on it only delays the new primary.
 */
final class CatchUp {

    /** Catching up in {@code term} from member {@code sourceId} to {@code target}, until {@code deadlineNanos}. */
    record Phase(long term, int sourceId, OpTime target, long deadlineNanos) {
    }

    private CatchUp() {
    }

    /** The catch-up after winning {@code term}, or null when this member is as up to date as any healthy member. */
    static Phase plan(ReplSetConfig cfg, Map<Integer, PeerState> peers, OpTime mine, long term, long nowNanos) {
        if (cfg.catchUpTimeoutMillis() == 0) {
            return null;
        }
        int source = -1;
        OpTime target = mine;
        for (MemberConfig m : cfg.members()) {
            PeerState p = peers.get(m.id());
            boolean heardLately = p != null && nowNanos - p.lastOkNanos < TimeUnit.MILLISECONDS.toNanos(2 * cfg.heartbeatIntervalMillis());
            if (heardLately && p.healthy && !m.arbiterOnly() && p.applied.compareTo(target) > 0) {
                source = m.id();
                target = p.applied;
            }
        }
        if (source < 0) {
            return null;
        }
        long limit = cfg.catchUpTimeoutMillis() < 0 ? cfg.electionTimeoutMillis()
            : Math.min(cfg.catchUpTimeoutMillis(), cfg.electionTimeoutMillis());
        return new Phase(term, source, target, nowNanos + TimeUnit.MILLISECONDS.toNanos(limit));
    }

    /** Whether the phase is over: caught up, or out of time. */
    static boolean over(Phase phase, OpTime mine, long nowNanos) {
        return mine.atLeast(phase.target()) || nowNanos - phase.deadlineNanos() > 0;
    }
}
