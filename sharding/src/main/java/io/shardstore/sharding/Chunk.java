package io.shardstore.sharding;

import org.bson.BsonDocument;

/** A contiguous range {@code [min, max)} of shard keys, owned by one shard. */
public record Chunk(BsonDocument min, BsonDocument max, String shard, ChunkVersion version) {

    public boolean contains(BsonDocument key) {
        return KeyOrder.INSTANCE.compare(min, key) <= 0 && KeyOrder.INSTANCE.compare(key, max) < 0;
    }

    /** Whether this chunk intersects {@code [lo, hi]} (both inclusive, either may be null for unbounded). */
    public boolean intersects(BsonDocument lo, boolean loInclusive, BsonDocument hi, boolean hiInclusive) {
        if (hi != null) {
            int c = KeyOrder.INSTANCE.compare(min, hi);
            if (c > 0 || (c == 0 && !hiInclusive)) {
                return false;
            }
        }
        if (lo != null) {
            int c = KeyOrder.INSTANCE.compare(lo, max);
            if (c >= 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "[" + min.toJson() + ", " + max.toJson() + ") @" + shard + " v" + version;
    }
}
