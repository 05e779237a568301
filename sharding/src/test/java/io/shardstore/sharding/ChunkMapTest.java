package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

class ChunkMapTest {
    private static final ObjectId EPOCH = new ObjectId();

    private static ChunkVersion v(int major, int minor) {
        return new ChunkVersion(major, minor, EPOCH, new BsonTimestamp(1, 1));
    }

    /** [MinKey,0) s0, [0,100) s1, [100,200) s2, [200,MaxKey) s0 on key {k: 1}. */
    private static ChunkMap fourChunks() {
        ShardKeyPattern key = new ShardKeyPattern(new BsonDocument("k", new BsonInt32(1)));
        List<Chunk> chunks = new ArrayList<>();
        chunks.add(new Chunk(key.globalMin(), k(0), "s0", v(1, 0)));
        chunks.add(new Chunk(k(0), k(100), "s1", v(2, 0)));
        chunks.add(new Chunk(k(100), k(200), "s2", v(3, 0)));
        chunks.add(new Chunk(k(200), key.globalMax(), "s0", v(3, 1)));
        return new ChunkMap(key, chunks);
    }

    private static BsonDocument k(int value) {
        return new BsonDocument("k", new BsonInt32(value));
    }

    @Test
    void everyKeyFallsInExactlyTheChunkThatHoldsIt() {
        ChunkMap map = fourChunks();
        assertEquals("s0", map.chunkFor(k(-5)).shard());
        assertEquals("s1", map.chunkFor(k(0)).shard());
        assertEquals("s1", map.chunkFor(k(99)).shard());
        assertEquals("s2", map.chunkFor(k(100)).shard());
        assertEquals("s0", map.chunkFor(k(200)).shard());
        assertEquals("s1", map.chunkFor(new BsonDocument("k", new BsonDouble(50.5))).shard(), "numbers compare across types");
        assertEquals("s0", map.chunkFor(new BsonDocument("k", new BsonString("a"))).shard(), "strings sort after numbers");
        assertEquals("s0", map.chunkFor(new BsonDocument("k", BsonNull.VALUE)).shard(), "null sorts before numbers");
    }

    @Test
    void rangesTargetOnlyIntersectingChunks() {
        ChunkMap map = fourChunks();
        assertEquals(Set.of("s1", "s2"), map.shardsFor(k(50), true, k(150), true));
        assertEquals(Set.of("s1"), map.shardsFor(k(10), true, k(100), false));
        assertEquals(Set.of("s0", "s1", "s2"), map.shardsFor(null, true, null, true));
    }

    @Test
    void shardVersionIsTheHighestVersionAShardOwns() {
        ChunkMap map = fourChunks();
        assertEquals(v(3, 1), map.shardVersion("s0"));
        assertEquals(v(2, 0), map.shardVersion("s1"));
        assertEquals(v(3, 1), map.collectionVersion());
        assertEquals(0, map.shardVersion("elsewhere").major());
    }

    @Test
    void hashedKeysHashEqualNumbersAlikeAndSpreadValues() {
        ShardKeyPattern hashed = ShardKeyPattern.hashedOn("u");
        assertEquals(hashed.keyOf(new BsonDocument("u", new BsonInt32(7))), hashed.keyOf(new BsonDocument("u", new BsonInt64(7))));
        assertEquals(hashed.keyOf(new BsonDocument("u", new BsonInt32(7))), hashed.keyOf(new BsonDocument("u", new BsonDouble(7.0))));
        assertTrue(!hashed.keyOf(new BsonDocument("u", new BsonInt32(7))).equals(hashed.keyOf(new BsonDocument("u", new BsonInt32(8)))));
        long[] points = HashedKeys.splitPoints(4);
        assertEquals(3, points.length);
        assertEquals(0L, points[1], "the middle split point of the hash space is 0");
        assertTrue(points[0] < 0 && points[2] > 0);
    }

    @Test
    void missingShardKeyFieldsAreNamed() {
        ShardKeyPattern compound = new ShardKeyPattern(new BsonDocument("a", new BsonInt32(1)).append("b.c", new BsonInt32(1)));
        assertEquals("b.c", compound.firstMissingField(new BsonDocument("a", new BsonInt32(1))));
        assertNull(compound.firstMissingField(new BsonDocument("a", new BsonInt32(1))
            .append("b", new BsonDocument("c", BsonNull.VALUE))), "an explicit null is a value");
        assertTrue(compound.touches("b"));
        assertTrue(compound.touches("b.c.d"));
        assertTrue(!compound.touches("bc"));
    }
}
