package io.shardstore.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

import io.shardstore.bench.run.Progress;
import io.shardstore.bench.ycsb.Keys;
import io.shardstore.bench.ycsb.Records;

/**
 * Creates the benchmark collections through the router: range-sharded on {@code _id}, pre-split into equal key
 * ranges and spread round-robin over the first N shards (before loading, so no data moves), then loaded.
 */
public final class DataSetup {
    private static final int BATCH = 500;

    private DataSetup() {
    }

    /** Shards {@code db.coll} over shards 0..shards-1 with {@code chunksPerShard} chunks on each. */
    public static void shardOver(MongoClient router, String db, String coll, int shards, int chunksPerShard) {
        MongoDatabase admin = router.getDatabase("admin");
        String ns = db + "." + coll;
        admin.runCommand(new Document("shardCollection", ns).append("key", new Document("_id", 1)));
        long[] points = Keys.splitPoints(shards * chunksPerShard);
        for (long p : points) {
            admin.runCommand(new Document("split", ns).append("middle", new Document("_id", p)));
        }
        // chunk i (0 = the one from MinKey) goes to shard i % shards; chunk 0 stays on the primary, shard0
        for (int i = 1; i <= points.length; i++) {
            String to = "shard" + (i % shards);
            if (!to.equals("shard0")) {
                admin.runCommand(new Document("moveChunk", ns).append("find", new Document("_id", points[i - 1])).append("to", to));
            }
        }
    }

    public static void enableSharding(MongoClient router, String db) {
        router.getDatabase("admin").runCommand(new Document("enableSharding", db).append("primaryShard", "shard0"));
    }

    /**
     * Inserts records 0..count-1 with {@code threads} loaders in batches (YCSB's load phase).
     *
     * @return seconds it took
     */
    public static double load(MongoClient client, String db, String coll, Records records, long count, int threads, Progress progress)
        throws Exception {
        MongoCollection<Document> c = client.getDatabase(db).getCollection(coll);
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                parts.add(pool.submit(() -> {
                    long from;
                    while ((from = next.getAndAdd(BATCH)) < count) {
                        List<Document> batch = new ArrayList<>(BATCH);
                        for (long n = from; n < Math.min(count, from + BATCH); n++) {
                            batch.add(records.record(n));
                        }
                        c.insertMany(batch);
                        long d = done.addAndGet(batch.size());
                        progress.update(String.format("loading %s.%s: %,d / %,d records", db, coll, d, count));
                    }
                    return null;
                }));
            }
            for (Future<?> f : parts) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
