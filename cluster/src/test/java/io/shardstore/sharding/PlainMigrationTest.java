package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;

import io.shardstore.replication.Poll;

/**
 * Issue 11: chunk migrations over plain shards (3-member sets of our node in --plain mode, which takes no shard
 * versions), driven by the config server through the driver while the Java driver's defaults write and read through
 * the router: every acknowledged insert and $inc is there exactly once afterwards, the readers never see a document
 * twice or miss one (find, count, distinct and aggregate, each checked against what was acknowledged), and the donor
 * keeps no orphan. Then the chunk comes back, and a compound-key collection moves too.
 */
class PlainMigrationTest extends PlainClusterTestBase {
    @Test
    void aChunkMovesBetweenPlainShardsUnderLoadEveryDocumentOnce() throws Exception {
        router.getDatabase("admin").runCommand(new Document("enableSharding", "pm").append("primaryShard", "shard0"));
        router.getDatabase("admin").runCommand(new Document("shardCollection", "pm.items").append("key", new Document("k", 1)));
        MongoCollection<Document> items = router.getDatabase("pm").getCollection("items");
        List<Document> initial = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            initial.add(new Document("_id", "i" + i).append("k", i).append("n", 0));
        }
        items.insertMany(initial);
        router.getDatabase("admin").runCommand(new Document("split", "pm.items").append("middle", new Document("k", 1000)));

        Set<String> inserted = ConcurrentHashMap.newKeySet();
        initial.forEach(d -> inserted.add(d.getString("_id")));
        Map<String, AtomicInteger> increments = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        List<String> readErrors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        threads.add(new Thread(() -> {
            for (int seq = 0; !stop.get(); seq++) {
                String id = "w" + seq;
                try {
                    items.insertOne(new Document("_id", id).append("k", ThreadLocalRandom.current().nextInt(2000)).append("n", 0));
                    inserted.add(id);
                } catch (MongoException e) {
                    failures.add(e); // retryable writes are on: an error here is a failure of the cluster
                }
            }
        }, "inserter"));
        threads.add(new Thread(() -> {
            while (!stop.get()) {
                String id = "i" + ThreadLocalRandom.current().nextInt(2000);
                try {
                    items.updateOne(Filters.eq("_id", id), Updates.inc("n", 1));
                    increments.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                } catch (MongoException e) {
                    failures.add(e);
                }
            }
        }, "updater"));
        threads.add(new Thread(() -> {
            for (int round = 0; !stop.get(); round++) {
                try {
                    int before = inserted.size();
                    long seen;
                    switch (round % 4) {
                        case 0 -> {
                            List<String> ids = new ArrayList<>();
                            items.find().projection(Projections.include("_id")).forEach(d -> ids.add(d.getString("_id")));
                            Set<String> distinct = new HashSet<>(ids);
                            if (distinct.size() != ids.size()) {
                                readErrors.add("find returned " + (ids.size() - distinct.size()) + " documents twice");
                            }
                            seen = ids.size();
                        }
                        case 1 -> seen = items.countDocuments();
                        case 2 -> seen = items.distinct("_id", String.class).into(new ArrayList<>()).size();
                        default -> seen = items.aggregate(List.of(Aggregates.group(null, Accumulators.sum("n", 1)))).first().getInteger("n");
                    }
                    int after = inserted.size();
                    // Inserts acknowledged before the read began are seen; at most those acknowledged (or sent) by its end.
                    if (seen < before || seen > after + 1) {
                        readErrors.add("round " + round + ": saw " + seen + " documents, acknowledged " + before + ".." + after);
                    }
                    reads.incrementAndGet();
                } catch (MongoException e) {
                    failures.add(e);
                }
            }
        }, "reader"));
        threads.forEach(Thread::start);
        Poll.until(java.time.Duration.ofSeconds(30), "load running", () -> reads.get() > 5 && inserted.size() > 2100);

        long t0 = System.nanoTime();
        router.getDatabase("admin").runCommand(new Document("moveChunk", "pm.items").append("find", new Document("k", 1500)).append("to", "shard1"));
        long moveMillis = (System.nanoTime() - t0) / 1_000_000;
        long readsAtMove = reads.get();
        Poll.until(java.time.Duration.ofSeconds(30), "reads after the move", () -> reads.get() > readsAtMove + 8);
        router.getDatabase("admin").runCommand(new Document("moveChunk", "pm.items").append("find", new Document("k", 1500)).append("to", "shard0"));
        router.getDatabase("admin").runCommand(new Document("moveChunk", "pm.items").append("find", new Document("k", 10)).append("to", "shard1"));
        long readsAtEnd = reads.get();
        Poll.until(java.time.Duration.ofSeconds(30), "reads after the moves", () -> reads.get() > readsAtEnd + 8);
        stop.set(true);
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertTrue(failures.isEmpty(), "errors under the drivers' defaults: " + failures);
        assertTrue(readErrors.isEmpty(), reads.get() + " reads, wrong ones: " + readErrors);

        // Every acknowledged insert exactly once, every acknowledged $inc applied once.
        List<Document> all = items.find().into(new ArrayList<>());
        Set<String> ids = new HashSet<>();
        all.forEach(d -> ids.add(d.getString("_id")));
        assertEquals(all.size(), ids.size(), "no document twice");
        assertEquals(inserted, ids, "every acknowledged insert, nothing else");
        for (Document d : all) {
            int expected = increments.getOrDefault(d.getString("_id"), new AtomicInteger()).get();
            assertEquals(expected, d.getInteger("n"), "the $incs of " + d.getString("_id"));
        }
        // No orphans: each shard holds exactly what it owns (shard0 [1000, MaxKey), shard1 [MinKey, 1000)).
        long onShard0 = shards.get(0).getDatabase("pm").getCollection("items").countDocuments();
        long onShard1 = shards.get(1).getDatabase("pm").getCollection("items").countDocuments();
        assertEquals(ids.size(), onShard0 + onShard1, "every document on one shard only");
        assertEquals(0, shards.get(0).getDatabase("pm").getCollection("items").countDocuments(Filters.lt("k", 1000)), "no orphan on shard0");
        assertEquals(0, shards.get(1).getDatabase("pm").getCollection("items").countDocuments(Filters.gte("k", 1000)), "no orphan on shard1");
        assertEquals(0, router.getDatabase("config").getCollection("plainFences").countDocuments(Filters.ne("_id", "__seq")), "fences lifted");
        System.out.printf("PLAIN-MIGRATION: %d documents, %d $inc, %d reads, first move %d ms%n", ids.size(),
            increments.values().stream().mapToInt(AtomicInteger::get).sum(), reads.get(), moveMillis);
    }

    @Test
    void aCompoundKeyChunkMovesWithItsNullsAndStrings() {
        router.getDatabase("admin").runCommand(new Document("enableSharding", "pc").append("primaryShard", "shard0"));
        router.getDatabase("admin").runCommand(new Document("shardCollection", "pc.c").append("key", new Document("a", 1).append("b", 1)));
        MongoCollection<Document> c = router.getDatabase("pc").getCollection("c");
        List<Document> docs = new ArrayList<>();
        int id = 0;
        for (Object a : new Object[] {null, 1, 2, 3, "x"}) {
            for (Object b : new Object[] {null, 0, 5, 9, "y"}) {
                docs.add(new Document("_id", id++).append("a", a).append("b", b));
            }
        }
        c.insertMany(docs);
        router.getDatabase("admin").runCommand(new Document("split", "pc.c").append("middle", new Document("a", 2).append("b", 5)));
        router.getDatabase("admin").runCommand(new Document("moveChunk", "pc.c").append("find", new Document("a", 3).append("b", 0))
            .append("to", "shard1"));
        assertEquals(docs.size(), c.countDocuments());
        assertEquals(docs.size(), c.find().into(new ArrayList<>()).size());
        long onShard1 = shards.get(1).getDatabase("pc").getCollection("c").countDocuments();
        long onShard0 = shards.get(0).getDatabase("pc").getCollection("c").countDocuments();
        assertEquals(docs.size(), onShard0 + onShard1);
        // [{a: 2, b: 5}, MaxKey) moved: a = 2 with b >= 5 (5, 9, "y"), a = 3 (5 of them), a = "x" (5).
        assertEquals(13, onShard1, "the chunk's documents by BSON order, null and strings included");
    }
}
