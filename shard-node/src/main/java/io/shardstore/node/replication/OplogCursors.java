package io.shardstore.node.replication;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The open tailable cursors on local.oplog.rs: each remembers where it is (after which ts) and whether getMore may
 * wait for new entries (awaitData). Cursors idle for 10 minutes are dropped, as mongod's cursor timeout does; a
 * rollback drops them all, so a reader never goes on past a truncation without noticing.
 */
public final class OplogCursors {
    private static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(10);

    /** One cursor: the next entries are those after {@code ts} (or from it, when {@code inclusive}). */
    public static final class Tail {
        final boolean awaitData;
        volatile long ts;
        volatile boolean inclusive;
        volatile long usedNanos = System.nanoTime();

        Tail(long ts, boolean inclusive, boolean awaitData) {
            this.ts = ts;
            this.inclusive = inclusive;
            this.awaitData = awaitData;
        }
    }

    private final Map<Long, Tail> open = new ConcurrentHashMap<>();

    long open(Tail tail) {
        long now = System.nanoTime();
        open.values().removeIf(t -> now - t.usedNanos > IDLE_NANOS);
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        } while (open.putIfAbsent(id, tail) != null);
        return id;
    }

    public Tail get(long id) {
        Tail t = open.get(id);
        if (t != null) {
            t.usedNanos = System.nanoTime();
        }
        return t;
    }

    void close(long id) {
        open.remove(id);
    }

    /** After a rollback truncated the oplog. */
    void closeAll() {
        open.clear();
    }
}
