package io.shardstore.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

import io.shardstore.cluster.LocalCluster;

/**
 * The cost side of configureQueryAnalyzer at a high rate (issue 14, item 1): the router stores a second's samples of a
 * namespace as one document of {@code config.sampledQueries}. Its writer once drained the queue "until empty" while
 * reads kept it filling, and wrote a document of one or two samples every millisecond: hundreds of config-server
 * inserts a second at 1,000 samples a second, the cost the sampling bench measured and could not place.
 */
class QuerySamplingBatchesTest {

    @Test
    void aSecondOfSamplesAtAThousandASecondIsStoredAsAboutOneDocument() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().shards(1).members(3).configMembers(1).testCommands(true).start();
             MongoClient client = MongoClients.create(cluster.uri())) {
            MongoCollection<Document> c = client.getDatabase("sq").getCollection("c");
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                docs.add(new Document("_id", i).append("v", "x" + i));
            }
            c.insertMany(docs);
            Document admin = new Document("configureQueryAnalyzer", "sq.c").append("mode", "full").append("samplesPerSecond", 1000);
            client.getDatabase("admin").runCommand(admin);
            MongoCollection<Document> stored = client.getDatabase("config").getCollection("sampledQueries");
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService readers = Executors.newFixedThreadPool(4);
            List<Future<?>> running = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                running.add(readers.submit(() -> {
                    for (int i = offset; !stop.get(); i += 4) {
                        c.find(Filters.eq("_id", i % 500)).first();
                    }
                }));
            }
            // Reads until 3,000 samples are stored (three seconds at the rate), or 60 s.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long samples = 0;
            while (samples < 3_000 && System.nanoTime() < deadline) {
                samples = 0;
                for (Document batch : stored.find(Filters.eq("ns", "sq.c")).projection(new Document("count", 1))) {
                    samples += ((Number) batch.get("count")).longValue();
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // between polls
            }
            stop.set(true);
            for (Future<?> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
            readers.shutdown();
            double seconds = (System.nanoTime() - start) / 1e9;
            long documents = stored.countDocuments(Filters.eq("ns", "sq.c"));
            assertTrue(samples >= 3_000, "3,000 samples stored within 60 s: " + samples);
            // The writer wakes once a second: at most one document a second, and one more for a round that finds a
            // full batch (5,000) pending.
            assertTrue(documents <= seconds + 2, documents + " documents for " + samples + " samples in " + seconds + " s");
            // The bucket: about 1,000 a second (a second's worth of burst at most).
            assertTrue(samples <= 1_000 * (seconds + 1), samples + " samples in " + seconds + " s");
        }
    }
}
