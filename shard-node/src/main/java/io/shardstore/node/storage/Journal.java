package io.shardstore.node.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write-ahead journal with group commit. Records are appended to a buffer by the storage thread; one
 * writer thread writes and fsyncs everything pending at once, either every commit interval or as soon as
 * someone waits for durability ({@code j: true}). A record on disk is
 * {@code [int32 length][int32 crc32c][length bytes]}, little-endian, so a torn tail is detectable.
 */
public final class Journal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    static final int RECORD_HEADER = 8;

    private final FileChannel channel;
    private final long commitIntervalMillis;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Thread writer;

    // guarded by lock
    private List<byte[]> pending = new ArrayList<>();
    private long appendedSeq;
    private long durableSeq;
    private final List<Waiter> waiters = new ArrayList<>();
    private boolean syncRequested;
    private boolean closed;
    private IOException failure;

    private record Waiter(long seq, CompletableFuture<Void> future) {
    }

    public Journal(Path file, long commitIntervalMillis) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.commitIntervalMillis = commitIntervalMillis;
        this.writer = new Thread(this::writeLoop, "journal-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Queues one record; returns its sequence number for {@link #whenDurable(long)}. */
    public long append(byte[] record) {
        lock.lock();
        try {
            pending.add(record);
            return ++appendedSeq;
        } finally {
            lock.unlock();
        }
    }

    /** The sequence number of the last record appended so far. */
    public long lastSequence() {
        lock.lock();
        try {
            return appendedSeq;
        } finally {
            lock.unlock();
        }
    }

    /** Completes once every record up to {@code seq} is fsynced; asks the writer to commit now. */
    public CompletableFuture<Void> whenDurable(long seq) {
        lock.lock();
        try {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (seq <= durableSeq) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> future = new CompletableFuture<>();
            waiters.add(new Waiter(seq, future));
            syncRequested = true;
            work.signal();
            return future;
        } finally {
            lock.unlock();
        }
    }

    private void writeLoop() {
        while (true) {
            List<byte[]> batch;
            long batchSeq;
            lock.lock();
            try {
                if (!closed && !syncRequested) {
                    work.await(commitIntervalMillis, TimeUnit.MILLISECONDS);
                }
                if (pending.isEmpty() && waiters.isEmpty()) {
                    if (closed) {
                        return;
                    }
                    continue;
                }
                batch = pending;
                pending = new ArrayList<>();
                batchSeq = appendedSeq;
                syncRequested = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            IOException error = null;
            try {
                write(batch);
                channel.force(false);
            } catch (IOException e) {
                error = e;
                log.error("journal write failed; acknowledging no more journaled writes", e);
            }
            complete(batchSeq, error);
        }
    }

    private void write(List<byte[]> batch) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        int size = 0;
        for (byte[] r : batch) {
            size += RECORD_HEADER + r.length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        for (byte[] r : batch) {
            crc.reset();
            crc.update(r);
            buf.putInt(r.length).putInt((int) crc.getValue()).put(r);
        }
        buf.flip();
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    private void complete(long seq, IOException error) {
        List<Waiter> done = new ArrayList<>();
        lock.lock();
        try {
            if (error != null) {
                failure = error;
                done.addAll(waiters);
                waiters.clear();
            } else {
                durableSeq = Math.max(durableSeq, seq);
                waiters.removeIf(w -> {
                    if (w.seq <= durableSeq) {
                        done.add(w);
                        return true;
                    }
                    return false;
                });
            }
        } finally {
            lock.unlock();
        }
        for (Waiter w : done) {
            if (error != null) {
                w.future.completeExceptionally(error);
            } else {
                w.future.complete(null);
            }
        }
    }

    /** Flushes and fsyncs what is pending, then stops the writer. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            closed = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.close();
    }
}
