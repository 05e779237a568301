package io.shardstore.node.replication;

import java.util.concurrent.TimeUnit;

/**
 * Priority takeover, as mongod: an electable secondary with a higher priority than the primary's, caught up with it
 * (its last entry within 2 seconds of the primary's), that stays so for electionTimeoutMillis stands for election
 * itself, as a step-up (voters that still see the primary vote anyway); the primary steps down when the term moves.
 * Its state is guarded by the coordinator's monitor (called from its tick).
 */
final class PriorityTakeover {
    static final long CAUGHT_UP_SECONDS = 2;

    private long eligibleSinceNanos;

    /** Whether to stand now; the waiting starts again after a yes. */
    boolean due(ReplSetConfig cfg, MemberConfig self, MemberConfig primary, OpTime primaryApplied, OpTime mine, long nowNanos) {
        boolean eligible = primary != null && self.electable() && self.priority() > primary.priority()
            && (primaryApplied.ts() >>> 32) - (mine.ts() >>> 32) <= CAUGHT_UP_SECONDS;
        if (!eligible) {
            eligibleSinceNanos = 0;
            return false;
        }
        if (eligibleSinceNanos == 0) {
            eligibleSinceNanos = nowNanos;
            return false;
        }
        if (nowNanos - eligibleSinceNanos < TimeUnit.MILLISECONDS.toNanos(cfg.electionTimeoutMillis())) {
            return false;
        }
        eligibleSinceNanos = nowNanos;
        return true;
    }

    void reset() {
        eligibleSinceNanos = 0;
    }
}
