package io.shardstore.router.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import io.shardstore.sharding.Chunk;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.ChunkVersion;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * Equality on the leading field of a compound range key targets the chunks holding that value (as mongos does), not
 * every shard: {customer: "b"} on {customer: 1, day: 1} reaches the shards whose chunks hold customer b's days.
 */
class CompoundPrefixTargetingTest {
    private static final ObjectId EPOCH = new ObjectId();
    private static final ShardKeyPattern KEY = new ShardKeyPattern(new BsonDocument("customer", new BsonInt32(1)).append("day", new BsonInt32(1)));

    private static BsonDocument key(String customer, int day) {
        return new BsonDocument("customer", new BsonString(customer)).append("day", new BsonInt32(day));
    }

    /** [Min, a/5) s0, [a/5, b/3) s1, [b/3, b/8) s2, [b/8, c/0) s3, [c/0, Max) s4. */
    private static ChunkMap map() {
        List<BsonDocument> bounds = List.of(KEY.globalMin(), key("a", 5), key("b", 3), key("b", 8), key("c", 0), KEY.globalMax());
        List<Chunk> chunks = new java.util.ArrayList<>();
        for (int i = 0; i < bounds.size() - 1; i++) {
            chunks.add(new Chunk(bounds.get(i), bounds.get(i + 1), "s" + i, new ChunkVersion(1, i, EPOCH, new BsonTimestamp(1, 1))));
        }
        return new ChunkMap(KEY, chunks);
    }

    @Test
    void equalityOnTheLeadingFieldTargetsItsChunks() {
        ChunkMap map = map();
        Targeting.Target b = Targeting.shardsFor(map, new BsonDocument("customer", new BsonString("b")));
        assertTrue(b.byKey());
        assertEquals(Set.of("s1", "s2", "s3"), b.shards());
        assertEquals(Set.of("s0", "s1"), Targeting.shardsFor(map, new BsonDocument("customer", new BsonString("a"))).shards());
        assertEquals(Set.of("s4"), Targeting.shardsFor(map, new BsonDocument("customer", new BsonString("d"))).shards());
        BsonDocument in = new BsonDocument("customer", new BsonDocument("$in", new BsonArray(List.of(new BsonString("a"), new BsonString("d")))));
        assertEquals(Set.of("s0", "s1", "s4"), Targeting.shardsFor(map, in).shards());
        // With the second field too: the one owner of the key.
        assertEquals(Set.of("s2"), Targeting.shardsFor(map, key("b", 5)).shards());
        // Without the leading field: every shard.
        assertFalse(Targeting.shardsFor(map, new BsonDocument("day", new BsonInt32(4))).byKey());
        // A MinKey / MaxKey bound value is a value like any other.
        assertEquals(Set.of("s0"), Targeting.shardsFor(map, new BsonDocument("customer", new BsonMinKey())).shards());
        assertEquals(Set.of("s4"), Targeting.shardsFor(map, new BsonDocument("customer", new BsonMaxKey())).shards());
    }

    @Test
    void rangeClausesOfAnAndAreOneRangeEvenInARawRequest() {
        ShardKeyPattern day = new ShardKeyPattern(new BsonDocument("day", new BsonInt32(1)));
        List<Chunk> chunks = new java.util.ArrayList<>();
        int[] bounds = {0, 10, 20, 30};
        BsonDocument min = day.globalMin();
        for (int i = 0; i <= bounds.length; i++) {
            BsonDocument max = i < bounds.length ? new BsonDocument("day", new BsonInt32(bounds[i])) : day.globalMax();
            chunks.add(new Chunk(min, max, "s" + i, new ChunkVersion(1, i, EPOCH, new BsonTimestamp(1, 1))));
            min = max;
        }
        ChunkMap map = new ChunkMap(day, chunks);
        // {$and: [{day: {$gte: 12}}, {day: {$lt: 18}}]} as a driver sends it: raw bytes, one chunk.
        BsonDocument and = new BsonDocument("$and", new BsonArray(List.of(
            new BsonDocument("day", new BsonDocument("$gte", new BsonInt32(12))),
            new BsonDocument("day", new BsonDocument("$lt", new BsonInt32(18))))));
        org.bson.RawBsonDocument raw = new org.bson.RawBsonDocument(and, new org.bson.codecs.BsonDocumentCodec());
        assertEquals(Set.of("s2"), Targeting.shardsFor(map, raw).shards());
        // An equality clause beside a range: the equality's chunk.
        BsonDocument eq = new BsonDocument("$and", new BsonArray(List.of(
            new BsonDocument("day", new BsonDocument("$gte", new BsonInt32(1))), new BsonDocument("day", new BsonInt32(25)))));
        assertEquals(Set.of("s3"), Targeting.shardsFor(map, new org.bson.RawBsonDocument(eq, new org.bson.codecs.BsonDocumentCodec())).shards());
    }
}
