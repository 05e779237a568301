package io.shardstore.router.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;

import io.shardstore.sharding.ShardKeyPattern;

/** The pure parts of the shard-key analysis: monotonicity, split points, balance simulation, sample ids. */
class KeyCharacteristicsTest {
    private static final ShardKeyPattern X = new ShardKeyPattern(new BsonDocument("x", new BsonInt32(1)));

    private static BsonDocument x(int v) {
        return new BsonDocument("x", new BsonInt32(v));
    }

    @Test
    void increasingKeysAreMonotonicAndShuffledOnesAreNot() {
        List<BsonDocument> up = new ArrayList<>();
        List<BsonDocument> down = new ArrayList<>();
        List<BsonDocument> spread = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            up.add(x(i));
            down.add(x(-i));
            spread.add(x((i * 7919) % 1000));
        }
        assertEquals(1.0, KeyCharacteristics.correlation(List.of(new KeyCharacteristics.ShardKeys(up))), 1e-12);
        assertEquals(-1.0, KeyCharacteristics.correlation(List.of(new KeyCharacteristics.ShardKeys(down))), 1e-12);
        assertTrue(Math.abs(KeyCharacteristics.correlation(List.of(new KeyCharacteristics.ShardKeys(spread)))) < 0.1);
        BsonDocument kc = KeyCharacteristics.compute(X, List.of(new KeyCharacteristics.ShardKeys(down)), 1000, 50, false);
        assertEquals("monotonic", kc.getDocument("monotonicity").getString("type").getValue(), "decreasing counts too");
        // A hashed leading field is never monotonic, whatever the values do.
        BsonDocument hashed = KeyCharacteristics.compute(ShardKeyPattern.hashedOn("x"), List.of(new KeyCharacteristics.ShardKeys(up)),
            1000, 50, false);
        assertEquals(0.0, hashed.getDocument("monotonicity").getDouble("recordIdCorrelationCoefficient").getValue());
    }

    @Test
    void splitPointsNeverSeparateEqualValuesAndBalanceFollowsThem() {
        List<BsonDocument> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add(x(i < 50 ? 0 : i)); // half the documents share one value
        }
        List<BsonDocument> bounds = ReadWriteDistribution.boundaries(keys, 10);
        assertTrue(bounds.stream().noneMatch(b -> b.equals(x(0))), "0 is the first value: no empty first range");
        assertEquals(new HashSet<>(bounds).size(), bounds.size(), "no bound twice");
        // At 2 shards, a value holding half the documents is one unsplittable chunk: the fullest holds at least half.
        assertTrue(ShardKeyAdvisor.fullestShardShare(keys, 2) >= 0.5);
        List<BsonDocument> even = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            even.add(x(i));
        }
        assertEquals(0.5, ShardKeyAdvisor.fullestShardShare(even, 2), 0.03);
        assertEquals(1.0, ShardKeyAdvisor.cardinality(100, 100), 1e-9);
        assertTrue(ShardKeyAdvisor.cardinality(4, 10_000) < 0.2);
    }

    @Test
    void sampleIdsAreVersion4UuidsAndDiffer() {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            UUID id = SampledQuery.randomUuid();
            assertEquals(4, id.version());
            assertEquals(2, id.variant());
            assertTrue(seen.add(id));
        }
    }

    @Test
    void aSampleKeepsItsShareOfEachShardEvenlyAndTheHeapBoundsIt() {
        ShardKeyAnalysis.Stride stride = ShardKeyAnalysis.Stride.forShard(500, 1000, 2000);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            if (stride.keep()) {
                kept.add(i);
            }
        }
        assertEquals(250, kept.size(), "this shard's quarter of the 500 of 2,000");
        assertTrue(kept.get(0) < 8 && kept.get(kept.size() - 1) > 990, "spread over the whole record order: " + kept.get(0)
            + ".." + kept.get(kept.size() - 1));
        assertTrue(ShardKeyAnalysis.heapBound() >= 10_000);
        assertTrue(ShardKeyAnalysis.heapBound() <= Runtime.getRuntime().maxMemory() / 1024, "a kilobyte of heap per document at least");
    }
}
