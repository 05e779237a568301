package io.shardstore.node;

import static io.shardstore.testkit.Latencies.median;
import static io.shardstore.testkit.Latencies.percentile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;

import io.shardstore.node.NodeOptions;
import io.shardstore.node.ShardNode;
import io.shardstore.replication.Poll;

/**
 * A node with 100,000 documents: a 100-document range scan in index order costs about what a point read costs
 * (not a sort of the collection), and a long aggregation neither holds up other clients' point reads nor outlives
 * its maxTimeMS. Latencies are compared within the run (ratios), as the machines here are shared.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisabledIfSystemProperty(named = "conformance.target", matches = "cluster.*")
class ConcurrentReadsTest {
    private static final int DOCS = 100_000;
    private ShardNode node;
    private MongoClient client;
    private MongoCollection<Document> coll;

    @BeforeAll
    void seed() throws Exception {
        node = ShardNode.start(NodeOptions.inMemory(0));
        client = MongoClients.create("mongodb://127.0.0.1:" + node.port() + "/?directConnection=true");
        coll = client.getDatabase("reads").getCollection("c");
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            batch.add(new Document("_id", i).append("n", DOCS - i).append("g", i % 100).append("pad", "x".repeat(50)));
            if (batch.size() == 5_000) {
                coll.insertMany(batch);
                batch.clear();
            }
        }
        coll.createIndex(Indexes.ascending("n"));
    }

    @AfterAll
    void stop() {
        client.close();
        node.close();
    }



    @Test
    void aHundredDocumentRangeScanCostsAboutAPointRead() {
        int rounds = 300;
        long[] point = new long[rounds];
        long[] forward = new long[rounds];
        long[] backward = new long[rounds];
        long[] secondary = new long[rounds];
        java.util.Random random = new java.util.Random(15);
        for (int warm = 0; warm < 100; warm++) {
            coll.find(Filters.eq("_id", warm)).first();
            coll.find(Filters.gte("_id", warm)).sort(new Document("_id", 1)).limit(100).into(new ArrayList<>());
        }
        for (int i = 0; i < rounds; i++) {
            int x = random.nextInt(DOCS - 200);
            long t0 = System.nanoTime();
            assertEquals(x, coll.find(Filters.eq("_id", x)).first().getInteger("_id"));
            long t1 = System.nanoTime();
            List<Document> up = coll.find(Filters.gte("_id", x)).sort(new Document("_id", 1)).limit(100).into(new ArrayList<>());
            long t2 = System.nanoTime();
            List<Document> down = coll.find(Filters.lte("_id", x + 150)).sort(new Document("_id", -1)).limit(100).into(new ArrayList<>());
            long t3 = System.nanoTime();
            List<Document> byN = coll.find(Filters.gt("n", x)).sort(new Document("n", 1)).limit(100).into(new ArrayList<>());
            long t4 = System.nanoTime();
            assertEquals(100, up.size());
            assertEquals(x, up.get(0).getInteger("_id"));
            assertEquals(x + 150, down.get(0).getInteger("_id"));
            assertEquals(x + 1, byN.get(0).getInteger("n"));
            point[i] = t1 - t0;
            forward[i] = t2 - t1;
            backward[i] = t3 - t2;
            secondary[i] = t4 - t3;
        }
        double p = median(point);
        System.out.printf("median point read %.2f ms; 100-document scans: _id forward %.2fx, backward %.2fx, secondary %.2fx%n",
            p / 1e6, median(forward) / p, median(backward) / p, median(secondary) / p);
        assertTrue(median(forward) <= 5 * p, () -> "forward scan " + median(forward) / p + "x a point read");
        assertTrue(median(backward) <= 5 * p, () -> "backward scan " + median(backward) / p + "x a point read");
        assertTrue(median(secondary) <= 5 * p, () -> "secondary-index scan " + median(secondary) / p + "x a point read");
        Document explain = coll.find(Filters.gte("_id", 5000)).sort(new Document("_id", 1)).limit(100)
            .explain(com.mongodb.ExplainVerbosity.EXECUTION_STATS);
        Document stats = explain.get("executionStats", Document.class);
        assertTrue(((Number) stats.get("totalDocsExamined")).intValue() <= 101, explain::toJson);
        assertTrue(explain.toJson().contains("\"IXSCAN\""), explain::toJson);
    }

    /** Slow on purpose: every document through a group, a sort and a second group (about a second or more here). */
    private static List<Document> slowPipeline() {
        return List.of(
            new Document("$project", new Document("g", 1).append("n", 1).append("k", new Document("$concat", List.of("$pad", "$pad")))),
            new Document("$group", new Document("_id", "$n").append("g", new Document("$first", "$g"))
                .append("k", new Document("$push", "$k"))),
            new Document("$sort", new Document("g", 1).append("_id", -1)),
            new Document("$group", new Document("_id", "$g").append("c", new Document("$sum", 1))));
    }

    @Test
    void pointReadsDoNotWaitBehindALongAggregation() throws Exception {
        MongoCollection<Document> other;
        try (MongoClient second = MongoClients.create("mongodb://127.0.0.1:" + node.port() + "/?directConnection=true")) {
            other = second.getDatabase("reads").getCollection("c");
            for (int i = 0; i < 200; i++) {
                other.find(Filters.eq("_id", i)).first(); // warm the second client's connection and the code paths
            }
            AtomicBoolean running = new AtomicBoolean(true);
            long started = System.nanoTime();
            CompletableFuture<Long> aggregation = CompletableFuture.supplyAsync(() -> {
                try {
                    long t0 = System.nanoTime();
                    long runs = 0;
                    // Back to back until two seconds have passed: "a 2-second aggregation" on any machine speed.
                    while (System.nanoTime() - t0 < 2_000_000_000L || runs == 0) {
                        assertEquals(100, coll.aggregate(slowPipeline()).into(new ArrayList<>()).size());
                        runs++;
                    }
                    return runs;
                } finally {
                    running.set(false);
                }
            });
            List<Long> latencies = new ArrayList<>();
            java.util.Random random = new java.util.Random(3);
            while (running.get()) {
                int x = random.nextInt(DOCS);
                long t0 = System.nanoTime();
                Document d = other.find(Filters.eq("_id", x)).first();
                latencies.add(System.nanoTime() - t0);
                assertEquals(x, d.getInteger("_id"));
            }
            long runs = aggregation.get();
            long aggregationMillis = (System.nanoTime() - started) / 1_000_000 / runs;
            long p99 = percentile(latencies, 0.99) / 1_000_000;
            long max = latencies.stream().mapToLong(Long::longValue).max().orElse(0) / 1_000_000;
            System.out.printf("aggregation %d ms a run (%d runs); beside it %d point reads: p50 %.2f ms, p99 %d ms, max %d ms%n",
                aggregationMillis, runs, latencies.size(), percentile(latencies, 0.5) / 1e6, p99, max);
            assertTrue(latencies.size() >= 100, "only " + latencies.size() + " point reads ran beside the aggregation");
            // Serialized behind it, a read would wait for the rest of a run: about half of aggregationMillis at the median.
            // The acceptance figure (p99 <= 20 ms) is measured by bench/; here, with the machine shared by the whole
            // build, the bound is that no read waited for an aggregation run.
            long bound = Math.max(50, aggregationMillis / 4);
            assertTrue(p99 <= bound, () -> "p99 " + p99 + " ms beside a " + aggregationMillis + " ms aggregation");
        }
    }

    @Test
    void maxTimeMsStopsALongReadInsideItsScan() {
        long t0 = System.nanoTime();
        // The driver raises code 50 as MongoExecutionTimeoutException.
        MongoExecutionTimeoutException e = assertThrows(MongoExecutionTimeoutException.class, () -> client.getDatabase("reads").runCommand(
            new Document("aggregate", "c").append("pipeline", slowPipeline()).append("cursor", new Document()).append("maxTimeMS", 100)));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(50, e.getCode(), e::getMessage);
        assertTrue(millis < 1_500, () -> "stopped only after " + millis + " ms");
        System.out.printf("aggregate with maxTimeMS 100 stopped after %d ms%n", millis);
        // Also a find that scans the whole collection (no index helps a regular expression on an unindexed field).
        MongoExecutionTimeoutException find = assertThrows(MongoExecutionTimeoutException.class, () -> client.getDatabase("reads").runCommand(
            new Document("find", "c").append("filter", new Document("pad", new Document("$regex", "y$"))).append("maxTimeMS", 1)));
        assertEquals(50, find.getCode(), find::getMessage);
    }
    /**
     * A long distinct while writes wait: the engine's distinct holds the collection's monitor, and a read that yielded
     * there to a waiting insert, which needed that monitor, made both wait for ever (found by PlainMigrationTest).
     * Both must finish now, and maxTimeMS still stops such a read.
     */
    @Test
    void aLongDistinctAndConcurrentInsertsBothFinish() throws Exception {
        MongoCollection<Document> other = client.getDatabase("reads").getCollection("c");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger inserted = new java.util.concurrent.atomic.AtomicInteger();
        Thread writer = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                other.insertOne(new Document("_id", "d" + i).append("n", -i).append("g", 1000));
                inserted.incrementAndGet();
            }
        }, "distinct-test-writer");
        writer.start();
        try {
            Document slow = new Document("$expr", new Document("$gte", List.of(new Document("$ifNull", List.of("$g", 0)), 0)));
            for (int round = 0; round < 3; round++) {
                java.util.concurrent.CompletableFuture<Integer> distinct = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> coll.distinct("g", slow, Integer.class).into(new ArrayList<>()).size());
                int values = distinct.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(values >= 100, "distinct values: " + values);
            }
            int before = inserted.get();
            Poll.until(java.time.Duration.ofSeconds(20), "inserts going on after the distincts", () -> inserted.get() > before + 10);
        } finally {
            stop.set(true);
            writer.join(30_000);
            other.deleteMany(new Document("g", 1000));
        }
    }
}
