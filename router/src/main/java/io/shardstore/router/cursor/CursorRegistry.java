package io.shardstore.router.cursor;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Router cursor ids: random positive 63-bit numbers, each mapped to a cursor. Cursors idle longer than
 * the timeout (10 minutes, mongod's cursorTimeoutMillis) are killed, with their shard cursors.
 */
public final class CursorRegistry implements AutoCloseable {
    private record Entry(RouterCursor cursor, long lastUsedNanos) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<Long, Entry> cursors = new ConcurrentHashMap<>();
    private final long idleNanos;
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cursor-reaper");
        t.setDaemon(true);
        return t;
    });

    public CursorRegistry(long idleTimeoutMillis) {
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
        long period = Math.max(1000, idleTimeoutMillis / 10);
        reaper.scheduleWithFixedDelay(this::reap, period, period, TimeUnit.MILLISECONDS);
    }

    public long register(RouterCursor cursor) {
        while (true) {
            long id = random.nextLong() & Long.MAX_VALUE;
            if (id != 0 && cursors.putIfAbsent(id, new Entry(cursor, System.nanoTime())) == null) {
                return id;
            }
        }
    }

    /** The cursor, marked as used now; null when unknown. */
    public RouterCursor get(long id) {
        Entry e = cursors.computeIfPresent(id, (k, v) -> new Entry(v.cursor(), System.nanoTime()));
        return e == null ? null : e.cursor();
    }

    /**
     * Makes cursor {@code id} report {@code ns} (a read of a view runs on the view's collection; its getMore replies name
     * the view, as mongod's do). Nothing happens to an unknown id.
     */
    public void rename(long id, String ns) {
        cursors.computeIfPresent(id, (k, v) -> new Entry(new Renamed(v.cursor(), ns), v.lastUsedNanos()));
    }

    /** A cursor under another namespace. */
    private record Renamed(RouterCursor inner, String ns) implements RouterCursor {
        @Override
        public java.util.concurrent.CompletableFuture<java.util.List<org.bson.BsonDocument>> next(int batchSize) {
            return inner.next(batchSize);
        }

        @Override
        public boolean exhausted() {
            return inner.exhausted();
        }

        @Override
        public void kill() {
            inner.kill();
        }
    }

    public RouterCursor remove(long id) {
        Entry e = cursors.remove(id);
        return e == null ? null : e.cursor();
    }

    public int size() {
        return cursors.size();
    }

    private void reap() {
        long now = System.nanoTime();
        cursors.entrySet().removeIf(e -> {
            if (now - e.getValue().lastUsedNanos() > idleNanos) {
                e.getValue().cursor().kill();
                return true;
            }
            return false;
        });
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        cursors.values().forEach(e -> e.cursor().kill());
        cursors.clear();
    }
}
