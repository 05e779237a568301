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
        assertTrue(compound.touches("a.x"), "inside a key field");
        assertTrue(!compound.touches("b.cx"), "a sibling of b.c whose name starts alike");
        assertTrue(!compound.touches("ab"));
    }

    private static final ShardKeyPattern K = new ShardKeyPattern(new BsonDocument("k", new BsonInt32(1)));

    /** {@code count} chunks of random widths over the long range on s0..s3, versions 1|i. */
    private static List<Chunk> longChunks(ShardKeyPattern key, int count, java.util.Random random) {
        java.util.TreeSet<Long> points = new java.util.TreeSet<>();
        while (points.size() < count - 1) {
            points.add(random.nextLong());
        }
        List<Chunk> chunks = new ArrayList<>();
        BsonDocument min = key.globalMin();
        int i = 0;
        for (long p : points) {
            BsonDocument max = new BsonDocument("k", new BsonInt64(p));
            chunks.add(new Chunk(min, max, "s" + (i % 4), v(1, i++)));
            min = max;
        }
        chunks.add(new Chunk(min, key.globalMax(), "s" + (i % 4), v(1, i)));
        return chunks;
    }

    private static Chunk scan(List<Chunk> chunks, BsonDocument key) {
        return chunks.stream().filter(c -> c.contains(key)).findFirst().orElseThrow();
    }

    @Test
    void integerBoundsAreSearchedAsLongsWithTheSameAnswers() {
        java.util.Random random = new java.util.Random(7);
        List<Chunk> chunks = longChunks(K, 1000, random);
        ChunkMap map = new ChunkMap(K, chunks);
        List<BsonDocument> probes = new ArrayList<>();
        for (Chunk c : chunks.subList(1, chunks.size())) {
            long min = c.min().getInt64("k").getValue();
            probes.add(new BsonDocument("k", new BsonInt64(min)));
            probes.add(new BsonDocument("k", new BsonInt64(min - 1)));
        }
        for (int i = 0; i < 2000; i++) {
            probes.add(new BsonDocument("k", new BsonInt64(random.nextLong())));
            probes.add(new BsonDocument("k", new BsonInt32(random.nextInt())));
        }
        probes.add(new BsonDocument("k", new BsonInt64(Long.MIN_VALUE)));
        probes.add(new BsonDocument("k", new BsonInt64(Long.MAX_VALUE)));
        probes.add(new BsonDocument("k", new BsonDouble(12.5)));
        probes.add(new BsonDocument("k", new BsonString("after every number")));
        probes.add(new BsonDocument("k", BsonNull.VALUE));
        for (BsonDocument probe : probes) {
            assertEquals(scan(chunks, probe), map.chunkFor(probe), probe.toJson());
        }
    }

    @Test
    void changedChunksReplaceTheChunksTheyCover() {
        java.util.Random random = new java.util.Random(11);
        ChunkMap map = new ChunkMap(K, longChunks(K, 200, random));
        int major = 2;
        for (int round = 0; round < 50; round++) {
            List<Chunk> current = new ArrayList<>(map.chunks());
            List<Chunk> changed = new ArrayList<>();
            int at = random.nextInt(current.size());
            Chunk old = current.get(at);
            if (round % 3 == 0 && old.min().isInt64("k") && old.max().isInt64("k")
                && old.max().getInt64("k").getValue() - old.min().getInt64("k").getValue() > 2) {
                // a split: both halves get new minor versions
                long mid = old.min().getInt64("k").getValue() / 2 + old.max().getInt64("k").getValue() / 2;
                BsonDocument m = new BsonDocument("k", new BsonInt64(mid));
                changed.add(new Chunk(old.min(), m, old.shard(), v(map.collectionVersion().major(), map.collectionVersion().minor() + 1)));
                changed.add(new Chunk(m, old.max(), old.shard(), v(map.collectionVersion().major(), map.collectionVersion().minor() + 2)));
            } else {
                // a move to another shard, which may leave the donor with a lower version or no chunk at all
                changed.add(new Chunk(old.min(), old.max(), "s" + random.nextInt(6), v(++major, 0)));
                if (round % 2 == 0 && at + 2 < current.size()) {
                    Chunk other = current.get(at + 2);
                    changed.add(new Chunk(other.min(), other.max(), other.shard(), v(major, 1)));
                }
            }
            java.util.Collections.reverse(changed); // the config server's order is not the map's
            List<Chunk> expected = new ArrayList<>(current);
            expected.removeIf(c -> changed.stream().anyMatch(n -> KeyOrder.INSTANCE.compare(n.min(), c.max()) < 0
                && KeyOrder.INSTANCE.compare(c.min(), n.max()) < 0));
            expected.addAll(changed);
            ChunkMap rebuilt = new ChunkMap(K, expected);
            map = map.withChanges(changed);
            assertEquals(rebuilt.chunks(), map.chunks());
            assertEquals(rebuilt.collectionVersion(), map.collectionVersion());
            for (String shard : List.of("s0", "s1", "s2", "s3", "s4", "s5")) {
                assertEquals(rebuilt.shardVersion(shard), map.shardVersion(shard), shard);
                assertEquals(rebuilt.chunksOf(shard), map.chunksOf(shard), shard);
            }
            assertEquals(rebuilt.allShards(), map.allShards());
            for (int i = 0; i < 50; i++) {
                BsonDocument probe = new BsonDocument("k", new BsonInt64(random.nextLong()));
                assertEquals(scan(expected, probe), map.chunkFor(probe));
            }
        }
    }
}
