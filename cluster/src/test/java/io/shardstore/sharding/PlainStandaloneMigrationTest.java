package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.replication.Poll;

/**
 * A migration from a standalone plain shard (no replica set, so no oplog to catch up from): the critical section covers
 * the whole copy, so writes to the collection wait for it, and still every acknowledged insert is there once.
 */
class PlainStandaloneMigrationTest {

    @Test
    void aStandaloneDonorHoldsWritesForTheWholeCopyAndLosesNone() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().shards(2).members(1).configMembers(1).plainShards(true).start();
             MongoClient router = MongoClients.create(cluster.uri())) {
            router.getDatabase("admin").runCommand(new Document("enableSharding", "ps").append("primaryShard", "shard0"));
            router.getDatabase("admin").runCommand(new Document("shardCollection", "ps.c").append("key", new Document("k", 1)));
            MongoCollection<Document> c = router.getDatabase("ps").getCollection("c");
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                docs.add(new Document("_id", "i" + i).append("k", i));
            }
            c.insertMany(docs);
            router.getDatabase("admin").runCommand(new Document("split", "ps.c").append("middle", new Document("k", 1500)));
            Set<String> acked = ConcurrentHashMap.newKeySet();
            docs.forEach(d -> acked.add(d.getString("_id")));
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        c.insertOne(new Document("_id", "w" + i).append("k", (i * 7) % 3000));
                        acked.add("w" + i);
                    } catch (MongoException e) {
                        failures.add(e);
                    }
                }
            });
            writer.start();
            Poll.until(java.time.Duration.ofSeconds(20), "inserts going", () -> acked.size() > 3050);
            router.getDatabase("admin").runCommand(new Document("moveChunk", "ps.c").append("find", new Document("k", 2000)).append("to", "shard1"));
            int afterMove = acked.size();
            Poll.until(java.time.Duration.ofSeconds(20), "inserts after the move", () -> acked.size() > afterMove + 20);
            stop.set(true);
            writer.join(30_000);
            assertTrue(failures.isEmpty(), failures.toString());
            List<String> ids = new ArrayList<>();
            c.find().forEach(d -> ids.add(d.getString("_id")));
            assertEquals(acked.size(), ids.size(), "no document twice, none missing");
            assertEquals(acked, Set.copyOf(ids));
            try (MongoClient s0 = MongoClients.create(cluster.shardUri(0)); MongoClient s1 = MongoClients.create(cluster.shardUri(1))) {
                assertEquals(0, s0.getDatabase("ps").getCollection("c").countDocuments(Filters.gte("k", 1500)), "no orphan on the donor");
                assertEquals(0, s1.getDatabase("ps").getCollection("c").countDocuments(Filters.lt("k", 1500)));
                assertEquals(ids.size(), s0.getDatabase("ps").getCollection("c").countDocuments()
                    + s1.getDatabase("ps").getCollection("c").countDocuments());
            }
        }
    }
}
