package io.shardstore.node.storage;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * Who may touch the engine when (decision 0010). Writes (and everything else the storage thread runs) hold the
 * write lock, one at a time, in submission order, as before; reads hold the read lock on reader threads, many at
 * once. The lock is fair, so a waiting write is not starved by a stream of reads; in exchange a long read yields:
 * at {@link #yieldPoint()}s between documents it lets a waiting write through every {@value #YIELD_MILLIS} ms
 * (mongod's internalQueryExecYieldPeriodMS), so a read queued behind that write waits milliseconds, not the whole
 * long read. The same points enforce the read's {@code maxTimeMS} (MaxTimeMSExpired, 50).
 */
public final class StorageLock {
    static final long YIELD_MILLIS = 10;
    private static final long YIELD_NANOS = TimeUnit.MILLISECONDS.toNanos(YIELD_MILLIS);
    /** The read this thread runs now; null outside one (the storage thread, replication, tests). */
    private static final ThreadLocal<Read> CURRENT = new ThreadLocal<>();

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);

    private final class Read {
        final long deadline;
        final java.util.function.BooleanSupplier killed;
        long heldSince;
        int calls;

        Read(long deadline, java.util.function.BooleanSupplier killed) {
            this.deadline = deadline;
            this.killed = killed;
            this.heldSince = System.nanoTime();
        }

        /** Fails the read past its maxTimeMS (50) or once killOp marked it (11601). */
        void checkLimits(long now) {
            if (deadline != 0 && now - deadline > 0) {
                throw Errors.of(ErrorCode.MaxTimeMSExpired, "operation exceeded time limit");
            }
            if (killed.getAsBoolean()) {
                throw Errors.of(ErrorCode.Interrupted, "operation was interrupted");
            }
        }

        /** True when writes may have run: whoever walks a structure of the engine must seek again. */
        boolean yieldIfWritesWait() {
            boolean yielded = lock.hasQueuedThreads();
            if (yielded) {
                lock.readLock().unlock();
                lock.readLock().lock(); // fair: behind the writes that were waiting
            }
            heldSince = System.nanoTime();
            return yielded;
        }
    }

    <T> T write(Supplier<T> work) {
        lock.writeLock().lock();
        try {
            return work.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs {@code work} under the read lock until done, past {@code maxTimeMillis} (0: no limit) or killed. */
    <T> T read(Supplier<T> work, long maxTimeMillis, java.util.function.BooleanSupplier killed) {
        lock.readLock().lock();
        Read read = new Read(maxTimeMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxTimeMillis) : 0, killed);
        CURRENT.set(read);
        try {
            return work.get();
        } finally {
            CURRENT.remove();
            lock.readLock().unlock();
        }
    }

    /**
     * Between two documents of a long read: fails the read past its maxTimeMS, and lets waiting writes run when
     * the read has held the lock for a yield period; true when it did (iterators over the engine are stale). The read continues over whatever those writes left (as
     * mongod's yielding reads do): documents it already holds stay as they are, later ones are read as they are now.
     */
    /** maxTimeMS and killOp inside a read that may not yield: throws once its deadline has passed or it was killed. */
    public static void checkDeadline() {
        Read read = CURRENT.get();
        if (read == null || (++read.calls & 31) != 0) {
            return;
        }
        read.checkLimits(System.nanoTime());
    }

    public static boolean yieldPoint() {
        Read read = CURRENT.get();
        if (read == null || (++read.calls & 31) != 0) {
            return false; // not a read, or not yet time to look at the clock again
        }
        long now = System.nanoTime();
        read.checkLimits(now);
        return now - read.heldSince > YIELD_NANOS && read.yieldIfWritesWait();
    }
}
