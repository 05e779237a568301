package io.shardstore.sharding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bson.BsonDocument;

/**
 * The chunks of one sharded collection, sorted by {@code min}, immutable. Lookup of the chunk owning a key
 * is a binary search over the chunk bounds. A refresh builds a new map (copy-on-write), so readers
 * never lock.
 */
public final class ChunkMap {
    private final ShardKeyPattern keyPattern;
    private final Chunk[] chunks;
    private final ChunkVersion collectionVersion;
    /** Per shard, the highest version among its chunks; computed once, read on every routed request. */
    private final java.util.Map<String, ChunkVersion> shardVersions = new java.util.LinkedHashMap<>();

    public ChunkMap(ShardKeyPattern keyPattern, Collection<Chunk> chunks) {
        this.keyPattern = keyPattern;
        this.chunks = chunks.toArray(Chunk[]::new);
        Arrays.sort(this.chunks, (a, b) -> KeyOrder.INSTANCE.compare(a.min(), b.min()));
        ChunkVersion max = null;
        for (Chunk c : this.chunks) {
            if (max == null || c.version().compareTo(max) > 0) {
                max = c.version();
            }
            shardVersions.merge(c.shard(), c.version(), (x, y) -> x.compareTo(y) >= 0 ? x : y);
        }
        this.collectionVersion = max;
    }

    public ShardKeyPattern keyPattern() {
        return keyPattern;
    }

    public List<Chunk> chunks() {
        return Collections.unmodifiableList(Arrays.asList(chunks));
    }

    public int size() {
        return chunks.length;
    }

    public ChunkVersion collectionVersion() {
        return collectionVersion;
    }

    /** The chunk whose {@code [min, max)} holds {@code key}. */
    public Chunk chunkFor(BsonDocument key) {
        int lo = 0;
        int hi = chunks.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (KeyOrder.INSTANCE.compare(chunks[mid].min(), key) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return chunks[lo];
    }

    /** Shards owning a chunk that intersects the key range (null bound = unbounded). */
    public Set<String> shardsFor(BsonDocument lo, boolean loInclusive, BsonDocument hi, boolean hiInclusive) {
        Set<String> shards = new LinkedHashSet<>();
        for (Chunk c : chunks) {
            if (c.intersects(lo, loInclusive, hi, hiInclusive)) {
                shards.add(c.shard());
            }
        }
        return shards;
    }

    public Set<String> allShards() {
        return shardVersions.keySet();
    }

    /** The highest version among the chunks a shard owns: the shard version the router sends it. */
    public ChunkVersion shardVersion(String shard) {
        ChunkVersion v = shardVersions.get(shard);
        return v != null ? v : new ChunkVersion(0, 0, collectionVersion.epoch(), collectionVersion.timestamp());
    }

    public List<Chunk> chunksOf(String shard) {
        List<Chunk> out = new ArrayList<>();
        for (Chunk c : chunks) {
            if (c.shard().equals(shard)) {
                out.add(c);
            }
        }
        return out;
    }
}
