package io.shardstore.node.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.storage.JournalRecords;
import io.shardstore.node.storage.OplogDurability;

/**
 * This member's {@code local.oplog.rs}: a capped collection of entries by timestamp, appended on the storage thread,
 * read by any thread (find on local.oplog.rs, heartbeats, write concern). Entries are never changed after they are
 * appended. When the entries' BSON size passes {@code maxBytes} the oldest are dropped (the newest one always stays).
 * Every append and truncation also goes to {@link OplogDurability}, so with --dbpath the oplog survives a restart.
 */
public final class OplogStore {
    private final ConcurrentSkipListMap<Long, Document> entries = new ConcurrentSkipListMap<>(Long::compareUnsigned);
    private final ConcurrentSkipListMap<Long, Integer> sizes = new ConcurrentSkipListMap<>(Long::compareUnsigned);
    private final long maxBytes;
    private final OplogDurability durability;
    private volatile long bytes;
    private volatile OpTime last = OpTime.NULL;
    private volatile java.time.Instant lastWall = java.time.Instant.EPOCH;
    /**
     * While a write and its retryable-write record are being logged (two entries, one storage-thread task), readers
     * on other threads (tailing getMores run on event loops) must not see the first without the second: a member that
     * fetched only the write would, as the next primary, run the driver's retry again. The ts of the first held entry,
     * or 0 when nothing is held; readers stop before it. Written only by the storage thread.
     */
    private volatile long heldFrom;
    private boolean holding;
    /** Completed (and replaced) at every append: wakes getMores waiting on tailable cursors. */
    private volatile java.util.concurrent.CompletableFuture<Void> appended = new java.util.concurrent.CompletableFuture<>();

    public OplogStore(long maxBytes, OplogDurability durability) {
        this.maxBytes = maxBytes;
        this.durability = durability;
    }

    /** An uncapped store that keeps nothing on disk (tests). */
    public OplogStore() {
        this(Long.MAX_VALUE, OplogDurability.NONE);
    }

    public void append(Document entry) {
        add(entry);
        durability.appended(entry);
    }

    /** Takes back the entries kept on disk, in ts order, at start (storage thread, before any append). */
    public void load(Iterable<Document> kept) {
        for (Document entry : kept) {
            add(entry);
        }
    }

    private void add(Document entry) {
        OpTime op = OpTime.ofEntry(entry);
        int size = JournalRecords.encode(entry).length;
        entries.put(op.ts(), entry);
        sizes.put(op.ts(), size);
        bytes += size;
        last = op;
        if (entry.get("wall") instanceof java.time.Instant wall) {
            lastWall = wall;
        }
        while (bytes > maxBytes && sizes.size() > 1) {
            Map.Entry<Long, Integer> oldest = sizes.pollFirstEntry();
            entries.remove(oldest.getKey());
            bytes -= oldest.getValue();
        }
        if (holding) {
            if (heldFrom == 0) {
                heldFrom = op.ts();
            }
            return; // waiters wake at release, when the held entries become visible together
        }
        wakeWaiters();
    }

    private void wakeWaiters() {
        java.util.concurrent.CompletableFuture<Void> waiting = appended;
        appended = new java.util.concurrent.CompletableFuture<>();
        waiting.complete(null);
    }

    /** Storage thread: entries appended from now on stay invisible to readers until {@link #release}. */
    public void hold() {
        holding = true;
    }

    /** Storage thread: the held entries become visible at once. */
    public void release() {
        holding = false;
        if (heldFrom != 0) {
            heldFrom = 0;
            wakeWaiters();
        }
    }

    private boolean visible(long ts) {
        long from = heldFrom;
        return from == 0 || Long.compareUnsigned(ts, from) < 0;
    }

    /** Completes at the next append. Take it before looking for entries, so none slips between. */
    public java.util.concurrent.CompletableFuture<Void> nextAppend() {
        return appended;
    }

    /** Whether there is an entry after {@code ts} (or at it, when inclusive). */
    public boolean hasAfter(long ts, boolean inclusive) {
        var tail = entries.tailMap(ts, inclusive);
        return !tail.isEmpty() && visible(tail.firstKey());
    }

    public OpTime last() {
        return last;
    }

    /** The oldest entry still kept, or {@link OpTime#NULL} when the oplog is empty. */
    public OpTime first() {
        Map.Entry<Long, Document> e = entries.firstEntry();
        return e == null ? OpTime.NULL : OpTime.ofEntry(e.getValue());
    }

    public java.time.Instant lastWall() {
        return lastWall;
    }

    /** Up to {@code limit} entries after {@code ts} (or from it, when inclusive), in order. */
    public List<Document> after(long ts, boolean inclusive, int limit) {
        List<Document> out = new ArrayList<>();
        for (Map.Entry<Long, Document> e : entries.tailMap(ts, inclusive).entrySet()) {
            if (out.size() >= limit || !visible(e.getKey())) {
                break;
            }
            out.add(e.getValue());
        }
        return out;
    }

    /** This member's entries at or before {@code ts}, newest first. */
    public Iterable<Document> descendingFrom(long ts) {
        return entries.headMap(ts, true).descendingMap().values();
    }

    /** Drops every entry after {@code ts} (rollback); the last entry becomes the one at {@code ts}. Storage thread. */
    public List<Document> truncateAfter(long ts) {
        List<Document> dropped = new ArrayList<>(entries.tailMap(ts, false).values());
        entries.tailMap(ts, false).clear();
        for (Integer size : sizes.tailMap(ts, false).values()) {
            bytes -= size;
        }
        sizes.tailMap(ts, false).clear();
        Map.Entry<Long, Document> lastEntry = entries.lastEntry();
        last = lastEntry == null ? OpTime.NULL : OpTime.ofEntry(lastEntry.getValue());
        if (lastEntry != null && lastEntry.getValue().get("wall") instanceof java.time.Instant wall) {
            lastWall = wall;
        }
        durability.truncatedAfter(ts);
        return dropped;
    }

    public long size() {
        return entries.size();
    }

    /** The entries' BSON size in bytes (collStats' size). */
    public long dataSize() {
        return bytes;
    }

    /** The cap in bytes (collStats' maxSize). */
    public long maxBytes() {
        return maxBytes;
    }

    public static long tsOf(Document entry) {
        return ((BsonTimestamp) entry.get("ts")).getValue();
    }
}
