package io.shardstore.node.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;

/**
 * This member's {@code local.oplog.rs}: entries by timestamp, appended on the storage thread, read by any thread
 * (find on local.oplog.rs, heartbeats, write concern). Entries are never changed after they are appended.
 * Kept in memory and not capped yet.
 */
public final class OplogStore {
    private final ConcurrentSkipListMap<Long, Document> entries = new ConcurrentSkipListMap<>(Long::compareUnsigned);
    private volatile OpTime last = OpTime.NULL;
    private volatile java.time.Instant lastWall = java.time.Instant.EPOCH;

    public void append(Document entry) {
        OpTime op = OpTime.ofEntry(entry);
        entries.put(op.ts(), entry);
        last = op;
        if (entry.get("wall") instanceof java.time.Instant wall) {
            lastWall = wall;
        }
    }

    public OpTime last() {
        return last;
    }

    public java.time.Instant lastWall() {
        return lastWall;
    }

    /** Up to {@code limit} entries after {@code ts} (or from it, when inclusive), in order. */
    public List<Document> after(long ts, boolean inclusive, int limit) {
        List<Document> out = new ArrayList<>();
        for (Map.Entry<Long, Document> e : entries.tailMap(ts, inclusive).entrySet()) {
            if (out.size() >= limit) {
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
        Map.Entry<Long, Document> lastEntry = entries.lastEntry();
        last = lastEntry == null ? OpTime.NULL : OpTime.ofEntry(lastEntry.getValue());
        if (lastEntry != null && lastEntry.getValue().get("wall") instanceof java.time.Instant wall) {
            lastWall = wall;
        }
        return dropped;
    }

    public long size() {
        return entries.size();
    }

    public static long tsOf(Document entry) {
        return ((BsonTimestamp) entry.get("ts")).getValue();
    }
}
