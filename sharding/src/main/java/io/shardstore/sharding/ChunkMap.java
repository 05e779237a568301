package io.shardstore.sharding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The chunks of one sharded collection, sorted by {@code min}, immutable. Lookup of the chunk owning a key
 * is a binary search over the chunk bounds: for a single-field key whose bounds are all integers (hashed
 * keys, numeric ids) over a flat {@code long[]} of the minimums, else over the bounds as documents. A refresh
 * builds a new map (copy-on-write, see {@link #withChanges}), so readers never lock.
 */
public final class ChunkMap {
    private final ShardKeyPattern keyPattern;
    private final Chunk[] chunks;
    /**
     * Each chunk's min as a long when every min after the first is an int or a long (the first is MinKey, taken
     * as Long.MIN_VALUE: no long key sorts below it); null otherwise. One contiguous array: a lookup in a map
     * of a million chunks touches ~20 longs instead of ~100 scattered objects.
     */
    private final long[] longMins;
    private final ChunkVersion collectionVersion;
    /** Per shard, the highest version among its chunks; computed once, read on every routed request. */
    private final java.util.Map<String, ChunkVersion> shardVersions;

    public ChunkMap(ShardKeyPattern keyPattern, Collection<Chunk> chunks) {
        this(keyPattern, sorted(chunks), null, null);
    }

    private static Chunk[] sorted(Collection<Chunk> chunks) {
        Chunk[] array = chunks.toArray(Chunk[]::new);
        Arrays.sort(array, (a, b) -> KeyOrder.INSTANCE.compare(a.min(), b.min()));
        return array;
    }

    /** {@code chunks} sorted by min; {@code shardVersions} and {@code longMins} computed here when null. */
    private ChunkMap(ShardKeyPattern keyPattern, Chunk[] chunks, java.util.Map<String, ChunkVersion> shardVersions, long[] longMins) {
        this.keyPattern = keyPattern;
        this.chunks = chunks;
        this.longMins = longMins != null ? longMins : longMins(keyPattern, chunks);
        if (shardVersions == null) {
            shardVersions = new java.util.LinkedHashMap<>();
            for (Chunk c : chunks) {
                shardVersions.merge(c.shard(), c.version(), ChunkMap::later);
            }
        }
        this.shardVersions = shardVersions;
        ChunkVersion max = null;
        for (ChunkVersion v : shardVersions.values()) {
            max = max == null ? v : later(max, v);
        }
        this.collectionVersion = max;
    }

    private static ChunkVersion later(ChunkVersion x, ChunkVersion y) {
        return x.compareTo(y) >= 0 ? x : y;
    }

    private static long[] longMins(ShardKeyPattern keyPattern, Chunk[] chunks) {
        if (keyPattern.fields().size() != 1 || chunks.length == 0) {
            return null;
        }
        long[] mins = new long[chunks.length];
        mins[0] = Long.MIN_VALUE;
        if (chunks[0].min().values().iterator().next().getBsonType() != org.bson.BsonType.MIN_KEY) {
            return null;
        }
        for (int i = 1; i < chunks.length; i++) {
            Long v = asLong(chunks[i].min());
            if (v == null) {
                return null;
            }
            mins[i] = v;
        }
        return mins;
    }

    /** The single value of a bound as a long when it is an int or a long, else null. */
    private static Long asLong(BsonDocument bound) {
        BsonValue v = bound.values().iterator().next();
        return v.isInt64() ? Long.valueOf(v.asInt64().getValue()) : v.isInt32() ? Long.valueOf(v.asInt32().getValue()) : null;
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
        if (longMins != null && key.size() == 1) {
            BsonValue v = key.values().iterator().next();
            if (v.isInt64()) {
                return chunks[indexOf(v.asInt64().getValue())];
            }
            if (v.isInt32()) {
                return chunks[indexOf(v.asInt32().getValue())];
            }
        }
        return chunks[indexOf(key)];
    }

    /**
     * The chunk holding the key whose only field has {@code value} (already hashed for a hashed key): on a
     * single-field key, the same chunk as {@link #chunkFor} without building the key document for an integer.
     */
    public Chunk chunkForValue(BsonValue value) {
        if (longMins != null) {
            if (value.isInt64()) {
                return chunks[indexOf(value.asInt64().getValue())];
            }
            if (value.isInt32()) {
                return chunks[indexOf(value.asInt32().getValue())];
            }
        }
        return chunkFor(new BsonDocument(keyPattern.fields().get(0), value));
    }

    /** The last chunk whose min is at most {@code key} (so chunk 0 for a key below every min). */
    private int indexOf(long key) {
        long[] mins = longMins;
        int lo = 0;
        int hi = mins.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (mins[mid] <= key) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private int indexOf(BsonDocument key) {
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
        return lo;
    }

    /**
     * This map with {@code changed} chunks (newer versions from the config server) in place of the chunks they
     * overlap: both lists are sorted, so the unchanged runs are copied whole and nothing is sorted again.
     */
    public ChunkMap withChanges(Collection<Chunk> changed) {
        Chunk[] news = sorted(changed);
        List<Chunk> removed = new ArrayList<>();
        Chunk[] out = new Chunk[chunks.length + news.length];
        // The long minimums are spliced alike, unless a changed chunk's min is not an integer (then recomputed).
        long[] mins = longMins == null ? null : new long[out.length];
        int n = 0;
        int i = 0;
        for (Chunk c : news) {
            // Old chunks ending at or before c's min stay; those starting before c's max are replaced.
            int start = Math.max(i, firstEndingAfter(c.min(), i));
            System.arraycopy(chunks, i, out, n, start - i);
            if (mins != null) {
                System.arraycopy(longMins, i, mins, n, start - i);
                int at = n + start - i;
                Long min = at == 0 ? Long.valueOf(Long.MIN_VALUE) : asLong(c.min());
                if (min == null) {
                    mins = null;
                } else {
                    mins[at] = min;
                }
            }
            n += start - i;
            int end = start;
            while (end < chunks.length && KeyOrder.INSTANCE.compare(chunks[end].min(), c.max()) < 0) {
                removed.add(chunks[end]);
                end++;
            }
            out[n++] = c;
            i = end;
        }
        System.arraycopy(chunks, i, out, n, chunks.length - i);
        if (mins != null) {
            System.arraycopy(longMins, i, mins, n, chunks.length - i);
        }
        n += chunks.length - i;
        // Shard versions only grow, unless a removed chunk held its shard's highest version: then recount.
        java.util.Map<String, ChunkVersion> versions = new java.util.LinkedHashMap<>(shardVersions);
        for (Chunk r : removed) {
            if (r.version().equals(versions.get(r.shard()))) {
                versions = null;
                break;
            }
        }
        if (versions != null) {
            for (Chunk c : news) {
                versions.merge(c.shard(), c.version(), ChunkMap::later);
            }
        }
        return new ChunkMap(keyPattern, Arrays.copyOf(out, n), versions, mins == null ? null : Arrays.copyOf(mins, n));
    }

    /** The first index at or after {@code from} whose chunk's max is above {@code key} (chunks are contiguous). */
    private int firstEndingAfter(BsonDocument key, int from) {
        int lo = from;
        int hi = chunks.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (KeyOrder.INSTANCE.compare(chunks[mid].max(), key) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
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
