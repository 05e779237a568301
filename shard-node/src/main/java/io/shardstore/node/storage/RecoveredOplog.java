package io.shardstore.node.storage;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;

/**
 * The oplog entries read back from the checkpoint and the journal at start, in ts order, capped like the live oplog
 * (oldest dropped past {@code maxBytes}) so the checkpoint written after recovery stays within the cap. Replication
 * takes them over once it starts. Storage thread only.
 */
public final class RecoveredOplog {
    private final TreeMap<Long, Document> entries = new TreeMap<>(Long::compareUnsigned);
    private final TreeMap<Long, Integer> sizes = new TreeMap<>(Long::compareUnsigned);
    private long maxBytes = Long.MAX_VALUE;
    private long bytes;

    void limitTo(long max) {
        this.maxBytes = max;
    }

    void add(Document entry, int size) {
        long ts = ((BsonTimestamp) entry.get("ts")).getValue();
        entries.put(ts, entry);
        Integer before = sizes.put(ts, size);
        bytes += size - (before == null ? 0 : before);
        while (bytes > maxBytes && sizes.size() > 1) {
            Map.Entry<Long, Integer> oldest = sizes.pollFirstEntry();
            entries.remove(oldest.getKey());
            bytes -= oldest.getValue();
        }
    }

    void truncateAfter(long ts) {
        for (Integer size : sizes.tailMap(ts, false).values()) {
            bytes -= size;
        }
        sizes.tailMap(ts, false).clear();
        entries.tailMap(ts, false).clear();
    }

    /** The entries in ts order; after {@link #release} none. */
    public Collection<Document> entries() {
        return entries.values();
    }

    /** Replication has taken the entries over: this copy is no longer needed. */
    public void release() {
        entries.clear();
        sizes.clear();
        bytes = 0;
    }
}
