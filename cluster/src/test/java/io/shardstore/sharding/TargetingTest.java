package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * Targeted versus scattered operations, checked by each shard's own serverStatus opcounters (not by what
 * the router says): a request pinned by the shard key reaches exactly the owning shard.
 */
class TargetingTest extends ShardedClusterTestBase {
    static MongoCollection<Document> range;
    static MongoCollection<Document> hashed;

    @BeforeAll
    static void data() {
        rangeShard("tgt.range", "k", 100, 200);
        shardCollection("tgt.hashed", new Document("k", "hashed"));
        range = router.getDatabase("tgt").getCollection("range");
        hashed = router.getDatabase("tgt").getCollection("hashed");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            docs.add(new Document("k", i).append("v", i % 10));
        }
        range.insertMany(docs);
        hashed.insertMany(docs.stream().map(d -> new Document(d)).toList());
    }

    @Test
    void equalityOnRangeKeyReachesOnlyTheOwningShard() {
        List<Document> before = opcounters();
        assertEquals(1, range.find(Filters.eq("k", 150)).into(new ArrayList<>()).size());
        // chunks: [MinKey, 100) on shard0, [100, 200) on shard1, [200, MaxKey) on shard2 (see rangeShard)
        assertEquals(List.of(0L, 1L, 0L), delta(before, opcounters(), "query"));
    }

    @Test
    void equalityOnHashedKeyReachesExactlyOneShard() {
        for (int k : new int[] {3, 77, 250}) {
            List<Document> before = opcounters();
            assertEquals(1, hashed.find(Filters.eq("k", k)).into(new ArrayList<>()).size());
            List<Long> d = delta(before, opcounters(), "query");
            assertEquals(1L, d.stream().mapToLong(Long::longValue).sum(), "k=" + k + " " + d);
        }
    }

    @Test
    void rangeOnRangeKeyReachesOnlyIntersectingChunks() {
        List<Document> before = opcounters();
        assertEquals(60, range.find(Filters.and(Filters.gte("k", 170), Filters.lt("k", 230))).into(new ArrayList<>()).size());
        assertEquals(List.of(0L, 1L, 1L), delta(before, opcounters(), "query"));
    }

    @Test
    void nonKeyFilterScattersToEveryShard() {
        List<Document> before = opcounters();
        assertEquals(30, range.find(Filters.eq("v", 3)).into(new ArrayList<>()).size());
        assertEquals(List.of(1L, 1L, 1L), delta(before, opcounters(), "query"));
    }

    @Test
    void insertsLandOnTheOwningShardsOnly() {
        List<Document> before = opcounters();
        range.insertMany(List.of(new Document("k", 5).append("extra", true), new Document("k", 6).append("extra", true),
            new Document("k", 205).append("extra", true)));
        assertEquals(List.of(2L, 0L, 1L), delta(before, opcounters(), "insert"));
        range.deleteMany(Filters.eq("extra", true));
    }

    @Test
    void updateByKeyReachesOneShardAndMultiUpdateScatters() {
        List<Document> before = opcounters();
        range.updateOne(Filters.eq("k", 250), Updates.set("touched", true));
        assertEquals(List.of(0L, 0L, 1L), delta(before, opcounters(), "update"));
        before = opcounters();
        range.updateMany(Filters.eq("v", 1), Updates.set("touched", true));
        assertEquals(List.of(1L, 1L, 1L), delta(before, opcounters(), "update"));
    }

    @Test
    void countByKeyIsTargeted() {
        List<Long> before = topCounts("tgt.range", "commands");
        assertEquals(1, range.countDocuments(Filters.eq("k", 42)));
        List<Long> after = topCounts("tgt.range", "commands");
        // k=42 lives on shard0: only its primary ran a command (countDocuments is an aggregate) on tgt.range.
        assertEquals(List.of(1L, 0L, 0L), List.of(after.get(0) - before.get(0), after.get(1) - before.get(1), after.get(2) - before.get(2)));
    }
}
