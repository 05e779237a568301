package io.shardstore.sharding;

import static io.shardstore.testkit.Latencies.median;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import com.mongodb.ExplainVerbosity;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

import io.shardstore.cluster.LocalCluster;

/**
 * Range scans through the router on what users run (two replica-set shards of three members, the driver's
 * defaults), 100,000 documents range-sharded on _id: a 100-document scan sorted on the key costs about what a point
 * read costs, forwards and backwards, and each shard's explain shows an index walk that stopped at the limit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisabledIfSystemProperty(named = "conformance.target", matches = "cluster.*")
class RouterRangeScanTest {
    private static final int DOCS = 100_000;
    private LocalCluster cluster;
    private MongoClient client;
    private MongoCollection<Document> coll;

    @BeforeAll
    void start() throws Exception {
        cluster = LocalCluster.builder().shards(2).members(3).balancerIntervalMillis(24L * 3600 * 1000).start();
        client = MongoClients.create(cluster.uri());
        client.getDatabase("admin").runCommand(new Document("enableSharding", "scans").append("primaryShard", "shard0"));
        client.getDatabase("admin").runCommand(new Document("shardCollection", "scans.c").append("key", new Document("_id", 1)));
        client.getDatabase("admin").runCommand(new Document("split", "scans.c").append("middle", new Document("_id", DOCS / 2)));
        client.getDatabase("admin").runCommand(new Document("moveChunk", "scans.c").append("find", new Document("_id", DOCS / 2))
            .append("to", "shard1"));
        coll = client.getDatabase("scans").getCollection("c");
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            batch.add(new Document("_id", i).append("n", i).append("pad", "x".repeat(50)));
            if (batch.size() == 5_000) {
                coll.insertMany(batch);
                batch.clear();
            }
        }
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }


    @Test
    void aHundredDocumentScanCostsAboutAPointRead() {
        Random random = new Random(150);
        for (int warm = 0; warm < 100; warm++) {
            coll.find(Filters.eq("_id", warm)).first();
            coll.find(Filters.gte("_id", warm)).sort(new Document("_id", 1)).limit(100).into(new ArrayList<>());
        }
        int rounds = 200;
        long[] point = new long[rounds];
        long[] forward = new long[rounds];
        long[] backward = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            int x = random.nextInt(DOCS - 200);
            long t0 = System.nanoTime();
            assertEquals(x, coll.find(Filters.eq("_id", x)).first().getInteger("_id"));
            long t1 = System.nanoTime();
            List<Document> up = coll.find(Filters.gte("_id", x)).sort(new Document("_id", 1)).limit(100).into(new ArrayList<>());
            long t2 = System.nanoTime();
            List<Document> down = coll.find(Filters.lte("_id", x + 150)).sort(new Document("_id", -1)).limit(100).into(new ArrayList<>());
            long t3 = System.nanoTime();
            assertEquals(100, up.size());
            assertEquals(x, up.get(0).getInteger("_id"));
            assertEquals(x + 99, up.get(99).getInteger("_id"));
            assertEquals(x + 150, down.get(0).getInteger("_id"));
            assertEquals(x + 51, down.get(99).getInteger("_id"));
            point[i] = t1 - t0;
            forward[i] = t2 - t1;
            backward[i] = t3 - t2;
        }
        double p = median(point);
        System.out.printf("through the router: median point read %.2f ms; 100-document scans forward %.2fx, backward %.2fx%n",
            p / 1e6, median(forward) / p, median(backward) / p);
        assertTrue(median(forward) <= 5 * p, () -> "forward scan " + median(forward) / p + "x a point read");
        assertTrue(median(backward) <= 5 * p, () -> "backward scan " + median(backward) / p + "x a point read");
    }

    @Test
    void eachShardExplainsAnIndexWalkThatStoppedAtTheLimit() {
        // 49,950 up: both shards' chunks, each walks its _id index from where the range starts on it.
        Document explain = coll.find(Filters.gte("_id", DOCS / 2 - 50)).sort(new Document("_id", 1)).limit(100)
            .explain(ExplainVerbosity.EXECUTION_STATS);
        Document winning = explain.get("queryPlanner", Document.class).get("winningPlan", Document.class);
        List<?> shards = winning.getList("shards", Object.class);
        assertEquals(2, shards.size(), explain::toJson);
        for (Object s : shards) {
            assertTrue(((Document) s).toJson().contains("\"IXSCAN\""), explain::toJson);
        }
        List<?> executed = explain.get("executionStats", Document.class).get("executionStages", Document.class)
            .getList("shards", Object.class);
        for (Object s : executed) {
            int docs = ((Number) ((Document) s).get("totalDocsExamined")).intValue();
            assertTrue(docs <= 101, () -> "a shard examined " + docs + " documents: " + explain.toJson());
        }
        // Shard0 has 50 of the range, shard1 its first 100: the router keeps 100 of the 150.
        assertEquals(150, ((Number) explain.get("executionStats", Document.class).get("nReturned")).intValue(), explain::toJson);
    }
}
