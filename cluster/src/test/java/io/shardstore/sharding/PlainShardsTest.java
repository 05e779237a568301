package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

import io.shardstore.node.NodeOptions;
import io.shardstore.node.ShardNode;

/**
 * Issue 11, item 1, first part: shards that know nothing of shard versions (our node with --plain, standing in for a
 * real mongod started without --shardsvr), as replica sets of 3, behind the router, with the Java driver's defaults
 * (retryable writes on). addShard finds out by itself that they are plain, the router never sends them a shard
 * version, hashed collections spread over them, and what needs a migration is refused with a clear error.
 */
class PlainShardsTest extends PlainClusterTestBase {
    @Test
    void addShardRecordsThePlainShardsAndTheirVersion() throws Exception {
        List<Document> listed = router.getDatabase("config").getCollection("shards").find().sort(Sorts.ascending("_id")).into(new ArrayList<>());
        assertEquals(2, listed.size(), listed.toString());
        for (Document shard : listed) {
            assertEquals(Boolean.TRUE, shard.get("plain"), shard.toJson());
            assertEquals("7.0.14", shard.getString("version"), shard.toJson());
            assertTrue(shard.getInteger("maxWireVersion") >= 8, shard.toJson());
        }
        // A node of ours without --plain is recorded as such, and a replica-set member named as a standalone is refused.
        try (ShardNode ours = ShardNode.start(NodeOptions.inMemory(0))) {
            Document added = router.getDatabase("admin").runCommand(new Document("addShard", "127.0.0.1:" + ours.port()).append("name", "ours"));
            assertEquals("ours", added.getString("shardAdded"));
            Document entry = router.getDatabase("config").getCollection("shards").find(Filters.eq("_id", "ours")).first();
            assertFalse(entry.containsKey("plain"), entry.toJson());
            router.getDatabase("admin").runCommand(new Document("removeShard", "ours"));
            router.getDatabase("admin").runCommand(new Document("removeShard", "ours"));
        }
        String member = cluster.shardSet(0).member(1).port() + "";
        MongoCommandException wrongKind = assertThrows(MongoCommandException.class,
            () -> router.getDatabase("admin").runCommand(new Document("addShard", "127.0.0.1:" + member)));
        assertEquals(96, wrongKind.getErrorCode(), wrongKind.getMessage());
        assertTrue(wrongKind.getMessage().contains("is a member of replica set shard0"), wrongKind.getMessage());
    }

    @Test
    void aHashedCollectionSpreadsOverPlainShardsAndReadsAreRight() {
        router.getDatabase("admin").runCommand(new Document("shardCollection", "plain.orders").append("key", new Document("_id", "hashed")));
        MongoCollection<Document> orders = router.getDatabase("plain").getCollection("orders");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            docs.add(new Document("_id", i).append("customer", "c" + (i % 10)).append("qty", 1));
        }
        orders.insertMany(docs);
        for (int i = 0; i < 100; i++) {
            orders.updateOne(Filters.eq("_id", i), Updates.inc("qty", 1));
        }
        long onShards = 0;
        for (MongoClient shard : shards) {
            long here = shard.getDatabase("plain").getCollection("orders").countDocuments();
            assertTrue(here > 100, "each plain shard holds a share: " + here);
            onShards += here;
        }
        assertEquals(1000, onShards, "every document once, over both shards");
        assertEquals(1000, orders.countDocuments());
        assertEquals(100, orders.countDocuments(Filters.eq("qty", 2)));
        Set<String> customers = orders.distinct("customer", String.class).into(new HashSet<>());
        assertEquals(10, customers.size(), customers.toString());
        Document total = orders.aggregate(List.of(Aggregates.group(null, Accumulators.sum("qty", "$qty")))).first();
        assertEquals(1100, total.getInteger("qty"), total.toJson());
        List<Document> page = orders.find(Filters.gte("_id", 990)).sort(Sorts.descending("_id")).limit(3).into(new ArrayList<>());
        assertEquals(List.of(999, 998, 997), page.stream().map(d -> d.getInteger("_id")).toList());
        // A point read goes to one shard: each shard's own counters.
        List<Long> before = queries();
        for (int i = 0; i < 20; i++) {
            assertEquals(i, orders.find(Filters.eq("_id", i)).first().getInteger("_id"));
        }
        List<Long> after = queries();
        long sent = (after.get(0) - before.get(0)) + (after.get(1) - before.get(1));
        assertEquals(20, sent, "one find per point read, on one shard: " + before + " -> " + after);
    }

    @Test
    void whatPlainShardsCannotDoYetIsRefusedWithAClearError() {
        // A hashed collection's chunk: the ownership filter would need $toHashedIndexKey on the shard.
        router.getDatabase("admin").runCommand(new Document("shardCollection", "plain.hashedMoves").append("key", new Document("h", "hashed")));
        List<Document> chunks = router.getDatabase("config").getCollection("chunks").find().into(new ArrayList<>());
        Document collection = router.getDatabase("config").getCollection("collections").find(Filters.eq("_id", "plain.hashedMoves")).first();
        Document chunk = chunks.stream().filter(c -> c.get("uuid").equals(collection.get("uuid"))).findFirst().orElseThrow();
        String other = chunk.getString("shard").equals("shard0") ? "shard1" : "shard0";
        MongoCommandException moved = assertThrows(MongoCommandException.class, () -> router.getDatabase("admin")
            .runCommand(new Document("moveChunk", "plain.hashedMoves").append("bounds", List.of(chunk.get("min"), chunk.get("max")))
                .append("to", other)));
        assertEquals(20, moved.getErrorCode(), moved.getMessage());
        assertTrue(moved.getMessage().contains("plain shard"), moved.getMessage());
        router.getDatabase("admin").runCommand(new Document("shardCollection", "plain.ranges").append("key", new Document("k", 1)));
        router.getDatabase("plain").getCollection("ranges").insertOne(new Document("k", 5));
        MongoCommandException resharded = assertThrows(MongoCommandException.class, () -> router.getDatabase("admin")
            .runCommand(new Document("reshardCollection", "plain.ranges").append("key", new Document("j", 1))));
        assertEquals(20, resharded.getErrorCode(), resharded.getMessage());
        assertEquals(1, router.getDatabase("plain").getCollection("ranges").countDocuments(), "nothing lost on the way");
    }

    private static List<Long> queries() {
        List<Long> out = new ArrayList<>();
        for (MongoClient shard : shards) {
            Document counters = shard.getDatabase("admin").runCommand(new Document("serverStatus", 1)).get("opcounters", Document.class);
            out.add(((Number) counters.get("query")).longValue());
        }
        return out;
    }
}
