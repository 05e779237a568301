package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.cluster.LocalReplicaSet;

/**
 * Issue 10, item 3: a router whose cached shard list was read before a shard was added meets that shard's id in the
 * catalog. It must read the shard list again (as mongos's shard registry does) instead of answering "unknown shard".
 */
class LateShardTest {

    @Test
    void routerServesAShardAddedAfterItReadTheShardList() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().shards(1).members(3).start();
             MongoClient router = MongoClients.create(cluster.uri());
             MongoClient config = MongoClients.create(cluster.configUri());
             LocalReplicaSet late = LocalReplicaSet.start("shard1", 3)) {
            // The router reads (and caches) the shard list: only shard0 exists yet.
            router.getDatabase("early").getCollection("c").insertOne(new Document("_id", 1));

            late.initiateAndAwaitPrimary(late.config(250, 2_000), Duration.ofSeconds(30));
            // Straight to the config server, so this router hears of neither the shard nor the database.
            config.getDatabase("admin").runCommand(new Document("addShard", late.seedList()).append("name", "shard1"));
            config.getDatabase("admin").runCommand(new Document("enableSharding", "late").append("primaryShard", "shard1"));

            MongoCollection<Document> coll = router.getDatabase("late").getCollection("c");
            coll.insertOne(new Document("_id", 7).append("x", "on shard1"));
            assertEquals("on shard1", coll.find(new Document("_id", 7)).first().getString("x"));
            try (MongoClient shard1 = MongoClients.create(late.uri())) {
                assertEquals(1, shard1.getDatabase("late").getCollection("c").countDocuments(), "the write landed on shard1");
            }
        }
    }
}
