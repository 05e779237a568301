package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoCollection;

/**
 * Chunks move while a client inserts and another reads: every acknowledged document is found exactly once
 * afterwards, no read ever sees a document twice during the moves, and no orphan is left on any shard.
 */
class MigrationUnderLoadTest extends ShardedClusterTestBase {

    @Test
    void chunksMoveUnderInsertAndReadLoad() throws Exception {
        rangeShard("mig.docs", "k", 1000);
        MongoCollection<Document> docs = router.getDatabase("mig").getCollection("docs");
        Set<Integer> acknowledged = new ConcurrentSkipListSet<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        for (int i = 0; i < 400; i++) {
            docs.insertOne(new Document("_id", i).append("k", (i * 7) % 2000));
            acknowledged.add(i);
        }
        Thread writer = new Thread(() -> {
            Random random = new Random(7);
            for (int i = 400; !stop.get() && i < 100_000; i++) {
                try {
                    docs.insertOne(new Document("_id", i).append("k", random.nextInt(2000)));
                    acknowledged.add(i);
                } catch (RuntimeException e) {
                    problems.add("insert " + i + ": " + e);
                }
            }
        }, "writer");
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                try {
                    List<Integer> ids = docs.find().map(d -> d.getInteger("_id")).into(new ArrayList<>());
                    if (new HashSet<>(ids).size() != ids.size()) {
                        problems.add("a read saw " + (ids.size() - new HashSet<>(ids).size()) + " documents twice");
                    }
                    reads.incrementAndGet();
                } catch (RuntimeException e) {
                    problems.add("read: " + e);
                }
            }
        }, "reader");
        writer.start();
        reader.start();
        try {
            int[][] moves = {{500, 2}, {1500, 0}, {500, 1}, {1500, 2}};
            for (int[] move : moves) {
                admin().runCommand(new Document("moveChunk", "mig.docs").append("find", new Document("k", move[0]))
                    .append("to", "shard" + move[1]));
            }
        } finally {
            stop.set(true);
            writer.join(TimeUnit.SECONDS.toMillis(30));
            reader.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertTrue(problems.isEmpty(), problems.toString());
        assertTrue(reads.get() > 0, "the reader ran");
        List<Integer> found = docs.find().map(d -> d.getInteger("_id")).into(new ArrayList<>());
        assertEquals(found.size(), new HashSet<>(found).size(), "no document found twice");
        assertEquals(acknowledged, new HashSet<>(found), "every acknowledged document, and only those");
        long onShards = 0;
        for (int i = 0; i < 3; i++) {
            onShards += countOnShard(i, "mig", "docs", new Document());
        }
        assertEquals(acknowledged.size(), onShards, "no orphans left on the shards");
        assertTrue(acknowledged.size() > 400, "inserts went on during the moves: " + acknowledged.size());
    }
}
