package io.shardstore.bench.ycsb;

import java.util.TreeSet;

/**
 * Record numbers for inserts, shared by every client thread of a collection (whatever target they go
 * through). Like YCSB's AcknowledgedCounterGenerator, readers only ever ask for records below the lowest
 * insert still in flight, so a read never races the insert of its own key.
 */
public final class InsertCounter {
    private long next;
    private final TreeSet<Long> inFlight = new TreeSet<>();
    private volatile long lastAcknowledged;

    private final long loaded;

    public InsertCounter(long loadedRecords) {
        this.loaded = loadedRecords;
        this.next = loadedRecords;
        this.lastAcknowledged = loadedRecords - 1;
    }

    /** Back to the loaded records only, once the inserted ones were deleted (between slices, nothing in flight). */
    public synchronized void reset() {
        if (!inFlight.isEmpty()) {
            throw new IllegalStateException(inFlight.size() + " inserts still in flight");
        }
        next = loaded;
        lastAcknowledged = loaded - 1;
    }

    public synchronized long issue() {
        long n = next++;
        inFlight.add(n);
        return n;
    }

    /** Called when the insert of {@code n} finished (even if it failed: the window must not stall). */
    public synchronized void acknowledge(long n) {
        inFlight.remove(n);
        lastAcknowledged = inFlight.isEmpty() ? next - 1 : inFlight.first() - 1;
    }

    /** The highest record number below which every insert has finished. */
    public long lastAcknowledged() {
        return lastAcknowledged;
    }

    public synchronized long issued() {
        return next;
    }
}
