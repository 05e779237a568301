package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.cluster.LocalReplicaSet;
import io.shardstore.config.ConfigServer;

/**
 * A cluster of replica sets in one JVM (2 shards of 3 members, a 3-member config set): sharded data lands on each
 * shard's primary; only the config primary runs DDL and the balancer; after the config primary stops, a new one
 * serves the catalog and the router reads its routing table from it.
 */
class ReplicatedClusterTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void shardsAndConfigServerAsReplicaSets() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().shards(2).members(3).configMembers(3).balancerIntervalMillis(200).start();
             MongoClient router = MongoClients.create(cluster.uri());
             MongoClient config = MongoClients.create(cluster.configUri())) {
            LocalReplicaSet configSet = cluster.configSet();
            MongoDatabase admin = router.getDatabase("admin");
            admin.runCommand(new Document("enableSharding", "app"));
            admin.runCommand(new Document("shardCollection", "app.items").append("key", new Document("k", 1)));
            // As sh.disableBalancing does: the balancer's rounds (counted below) leave this collection's chunks alone.
            config.getDatabase("config").getCollection("collections")
                .updateOne(Filters.eq("_id", "app.items"), new Document("$set", new Document("noBalance", true)));
            admin.runCommand(new Document("split", "app.items").append("middle", new Document("k", 50)));
            String home = config.getDatabase("config").getCollection("databases").find(Filters.eq("_id", "app")).first().getString("primary");
            int homeShard = home.equals("shard0") ? 0 : 1;
            int otherShard = 1 - homeShard;
            admin.runCommand(new Document("moveChunk", "app.items").append("find", new Document("k", 50)).append("to", "shard" + otherShard));

            MongoCollection<Document> items = router.getDatabase("app").getCollection("items");
            List<Document> docs = new ArrayList<>();
            for (int k = 0; k < 100; k++) {
                docs.add(new Document("k", k));
            }
            items.insertMany(docs);
            assertEquals(100, items.countDocuments());
            // Each shard's primary holds its half (the set's connection string reads from the primary).
            assertEquals(50, shardCount(cluster, homeShard, Filters.lt("k", 50)));
            assertEquals(50, shardCount(cluster, otherShard, Filters.gte("k", 50)));
            assertEquals(100, shardCount(cluster, 0, new Document()) + shardCount(cluster, 1, new Document()));

            int primary = configSet.awaitPrimary(TIMEOUT);
            assertTrue(primary >= 0, "a config primary");
            Poll.until(TIMEOUT, "balancer rounds on the config primary", () -> balancerRounds(configSet, primary) >= 2);
            for (int i = 0; i < 3; i++) {
                if (i != primary) {
                    assertEquals(0, balancerRounds(configSet, i), "no balancer round on config secondary " + i);
                    assertDdlRefused(configSet, i);
                }
            }
            assertEquals(2, chunkCount(config), "the refused split changed nothing");

            // The config primary goes: a new one is elected and serves the catalog, with every DDL so far.
            configSet.stop(primary);
            int next = configSet.awaitPrimary(TIMEOUT, primary);
            assertTrue(next >= 0, "a new config primary");
            assertNotEquals(primary, next);
            de.bwaldvogel.mongo.bson.Document split = configSet.command(next, "admin",
                new de.bwaldvogel.mongo.bson.Document("split", "app.items").append("middle", new de.bwaldvogel.mongo.bson.Document("k", 75)));
            assertEquals(1.0, ((Number) split.get("ok")).doubleValue(), split.toString());
            assertEquals(3, chunkCount(config));
            Poll.until(TIMEOUT, "balancer rounds on the new config primary", () -> balancerRounds(configSet, next) >= 1);

            // A migration by the new primary bumps the major version: the router's next request to the old owner is
            // stale, and the refresh reads the routing table from the new config primary.
            de.bwaldvogel.mongo.bson.Document move = configSet.command(next, "admin",
                new de.bwaldvogel.mongo.bson.Document("moveChunk", "app.items").append("find", new de.bwaldvogel.mongo.bson.Document("k", 80))
                    .append("to", "shard" + homeShard));
            assertEquals(1.0, ((Number) move.get("ok")).doubleValue(), move.toString());
            assertEquals(25, items.countDocuments(Filters.gte("k", 75)));
            items.insertOne(new Document("k", 99.5));
            assertEquals(76, shardCount(cluster, homeShard, new Document()), "[min, 50) and [75, max) on the home shard");
            assertEquals(25, shardCount(cluster, otherShard, new Document()), "[50, 75) on the other shard");
        }
    }

    private static long shardCount(LocalCluster cluster, int shard, org.bson.conversions.Bson filter) {
        try (MongoClient direct = MongoClients.create(cluster.shardUri(shard))) {
            return direct.getDatabase("app").getCollection("items").countDocuments(filter);
        }
    }

    private static long chunkCount(MongoClient config) {
        return config.getDatabase("config").getCollection("chunks").countDocuments();
    }

    private static long balancerRounds(LocalReplicaSet configSet, int member) {
        return ((ConfigServer) configSet.process(member)).balancer().rounds();
    }

    /** DDL sent to a config secondary answers NotWritablePrimary (10107) and does not run. */
    private static void assertDdlRefused(LocalReplicaSet configSet, int secondary) throws Exception {
        List<de.bwaldvogel.mongo.bson.Document> commands = List.of(
            new de.bwaldvogel.mongo.bson.Document("split", "app.items").append("middle", new de.bwaldvogel.mongo.bson.Document("k", 25)),
            new de.bwaldvogel.mongo.bson.Document("shardCollection", "app.other").append("key", new de.bwaldvogel.mongo.bson.Document("k", 1)),
            new de.bwaldvogel.mongo.bson.Document("addShard", "localhost:1").append("name", "nowhere"),
            new de.bwaldvogel.mongo.bson.Document("moveChunk", "app.items").append("find", new de.bwaldvogel.mongo.bson.Document("k", 1))
                .append("to", "shard0"));
        for (de.bwaldvogel.mongo.bson.Document command : commands) {
            de.bwaldvogel.mongo.bson.Document reply = configSet.command(secondary, "admin", command);
            assertEquals(10107, ((Number) reply.get("code")).intValue(), command.keySet().iterator().next() + ": " + reply);
        }
    }
}
