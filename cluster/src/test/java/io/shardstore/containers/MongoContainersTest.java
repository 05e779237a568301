package io.shardstore.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.testkit.MongoContainers;

/**
 * Two real {@code mongo:7.0} replica sets (Testcontainers) as plain shards behind an in-JVM config server and router
 * (issue 11, item 4). Skipped with a message where no Docker engine runs; {@code -Dshardstore.requireDocker=true} makes
 * that a failure. The conformance suite runs on the same layout in the {@code containers-conformance} execution
 * ({@code -Dconformance.target=containers-hashed}).
 */
class MongoContainersTest {
    private static MongoContainers sets;
    private static LocalCluster cluster;
    private static MongoClient router;

    @BeforeAll
    static void start() throws Exception {
        if (!MongoContainers.dockerAvailable()) {
            return; // each test is then skipped with the reason (a class-level skip would not be listed)
        }
        sets = MongoContainers.start(2);
        cluster = sets.clusterOfThem();
        router = MongoClients.create(cluster.uri());
    }

    @BeforeEach
    void needsDocker() {
        MongoContainers.requireDocker();
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (sets != null) {
            sets.close();
        }
    }

    @Test
    void realMongodsAreRecordedAsPlainShards() {
        for (Document shard : router.getDatabase("config").getCollection("shards").find()) {
            assertEquals(Boolean.TRUE, shard.get("plain"), shard.toJson());
            assertTrue(shard.getString("version").startsWith("7.0"), shard.toJson());
        }
    }

    @Test
    void aHashedCollectionSpreadsOverTheMongodsEveryDocumentOnce() {
        router.getDatabase("admin").runCommand(new Document("shardCollection", "tc.orders").append("key", new Document("_id", "hashed")));
        MongoCollection<Document> orders = router.getDatabase("tc").getCollection("orders");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            docs.add(new Document("_id", i).append("qty", 1));
        }
        orders.insertMany(docs);
        long total = 0;
        for (int i = 0; i < 2; i++) {
            try (MongoClient direct = MongoClients.create(sets.directUri(i))) {
                long here = direct.getDatabase("tc").getCollection("orders").countDocuments();
                assertTrue(here > 100, "each mongod holds a share: " + here);
                total += here;
            }
        }
        assertEquals(1000, total);
        assertEquals(1000, orders.countDocuments());
        assertEquals(1, orders.countDocuments(Filters.eq("_id", 7)));
    }

    @Test
    void aRangeChunkMovesBetweenTheMongodsEveryDocumentOnce() {
        router.getDatabase("admin").runCommand(new Document("enableSharding", "tm").append("primaryShard", "shard0"));
        router.getDatabase("admin").runCommand(new Document("shardCollection", "tm.ranges").append("key", new Document("k", 1)));
        MongoCollection<Document> ranges = router.getDatabase("tm").getCollection("ranges");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            docs.add(new Document("_id", i).append("k", i));
        }
        ranges.insertMany(docs);
        router.getDatabase("admin").runCommand(new Document("split", "tm.ranges").append("middle", new Document("k", 1000)));
        router.getDatabase("admin").runCommand(new Document("moveChunk", "tm.ranges").append("find", new Document("k", 1500)).append("to", "shard1"));
        assertEquals(2000, ranges.countDocuments());
        try (MongoClient first = MongoClients.create(sets.directUri(0)); MongoClient second = MongoClients.create(sets.directUri(1))) {
            assertEquals(1000, first.getDatabase("tm").getCollection("ranges").countDocuments(), "the donor kept [MinKey, 1000)");
            assertEquals(1000, second.getDatabase("tm").getCollection("ranges").countDocuments(Filters.gte("k", 1000)), "the mongod got [1000, MaxKey)");
        }
    }

    @Test
    void migrationsOfHashedCollectionsAreRefusedWithAClearError() {
        router.getDatabase("admin").runCommand(new Document("shardCollection", "tc.hashedMoves").append("key", new Document("h", "hashed")));
        Document collection = router.getDatabase("config").getCollection("collections").find(Filters.eq("_id", "tc.hashedMoves")).first();
        Document chunk = router.getDatabase("config").getCollection("chunks").find(Filters.eq("uuid", collection.get("uuid"))).first();
        String other = chunk.getString("shard").equals("shard0") ? "shard1" : "shard0";
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> router.getDatabase("admin")
            .runCommand(new Document("moveChunk", "tc.hashedMoves").append("bounds", List.of(chunk.get("min"), chunk.get("max"))).append("to", other)));
        assertEquals(20, e.getErrorCode(), e.getMessage());
    }
}
