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
    void migrationsToOrFromAMongodAreRefusedWithAClearError() {
        router.getDatabase("admin").runCommand(new Document("shardCollection", "tc.ranges").append("key", new Document("k", 1)));
        String primary = router.getDatabase("config").getCollection("databases").find(Filters.eq("_id", "tc")).first().getString("primary");
        String other = primary.equals("shard0") ? "shard1" : "shard0";
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> router.getDatabase("admin")
            .runCommand(new Document("moveChunk", "tc.ranges").append("find", new Document("k", 1)).append("to", other)));
        assertEquals(20, e.getErrorCode(), e.getMessage());
    }
}
