package io.shardstore.bench.scenario;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.bson.BsonDocument;
import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import io.shardstore.bench.BenchSettings;
import io.shardstore.bench.report.RefreshResult;
import io.shardstore.bench.run.Aggregate;
import io.shardstore.bench.run.Histograms;
import io.shardstore.bench.run.PhaseResult;
import io.shardstore.bench.run.PhaseSpec;
import io.shardstore.bench.ycsb.Workloads;
import io.shardstore.router.topology.CatalogCache;
import io.shardstore.sharding.ChunkMap;

/**
 * Routing-table refresh. (1) Time: the router's own {@link CatalogCache}, run here against the config server,
 * picks up one split of a collection with N chunks (incremental refresh). (2) Isolation: reads of collection B
 * through the router while collection A is refreshed over and over (splits through the router), against reads
 * with no refresh; and, with separate processes, while A's refresh hangs on a paused config server.
 */
public final class RefreshScenario {
    static final String CHURN = "refresh";
    static final String PAUSED = "paused";
    private static final int ISOLATION_CLIENTS = 8;

    private RefreshScenario() {
    }

    public static void run(BenchContext ctx) throws Exception {
        var s = ctx.settings;
        ctx.progress.section("Routing refresh: one changed chunk at " + s.refreshChunks + " chunks; other collections during refreshes");
        MongoDatabase admin = ctx.router.client().getDatabase("admin");
        Map<Integer, Histogram> times = new LinkedHashMap<>();
        Map<Integer, Histogram> queryTimes = new LinkedHashMap<>();
        String stormNs = null;
        TreeSet<Long> stormBounds = new TreeSet<>();
        try (MongoClient config = ctx.client(ctx.cluster.configUri())) {
            MongoDatabase configAdmin = config.getDatabase("admin");
            for (int chunks : s.refreshChunks) {
                // A hashed key takes numInitialChunks: N chunks in one command, where N splits would cost O(N^2).
                String ns = BenchSettings.DATABASE + "." + CHURN + chunks;
                admin.runCommand(new Document("shardCollection", ns).append("key", new Document("_id", "hashed"))
                    .append("numInitialChunks", chunks));
                TreeSet<Long> bounds = new TreeSet<>();
                Histogram[] measured = timeRefresh(config, configAdmin, ns, chunks, bounds, s.refreshSamples);
                times.put(chunks, measured[0]);
                queryTimes.put(chunks, measured[1]);
                Histogram h = measured[0];
                ctx.progress.note(String.format("refresh of one split at %,d chunks: p50 %.3f ms, p99 %.3f ms, max %.3f ms; "
                    + "its config-server reads alone p50 %.3f ms", chunks, Histograms.millis(h, 50), Histograms.millis(h, 99),
                    Histograms.maxMillis(h), Histograms.millis(measured[1], 50)));
                if (stormNs == null) {
                    stormNs = ns;
                    stormBounds = bounds;
                }
            }
        }
        String churnNs = stormNs;
        TreeSet<Long> churnBounds = stormBounds;
        Aggregate quiet = new Aggregate("quiet", "router");
        Aggregate storm = new Aggregate("during refreshes of A", "router");
        Histogram splitMicros = Histograms.create();
        AtomicLong refreshes = new AtomicLong();
        for (int r = 0; r < Math.min(2, Math.max(1, s.rounds)); r++) {
            for (boolean withStorm : r % 2 == 0 ? List.of(false, true) : List.of(true, false)) {
                if (withStorm) {
                    storm.add(readsDuring(ctx, () -> split(admin, churnNs, churnBounds), splitMicros, refreshes));
                } else {
                    quiet.add(readsOfB(ctx, s.isolationSlice));
                }
            }
        }
        ctx.progress.note(String.format("reads of B: quiet p99 %.3f ms, during %d refreshes of A p99 %.3f ms (max %.3f vs %.3f ms)",
            Histograms.millis(quiet.latency(), 99), refreshes.get(), Histograms.millis(storm.latency(), 99),
            Histograms.maxMillis(storm.latency()), Histograms.maxMillis(quiet.latency())));
        Paused paused = ctx.cluster.separateProcesses() && ctx.cluster.shardCount() >= 2 ? pausedConfig(ctx) : null;
        ctx.results.refresh = new RefreshResult(times, queryTimes, quiet, storm, refreshes.get(), splitMicros,
            paused == null ? null : paused.reads, paused == null ? 0 : paused.seconds, paused != null && paused.pendingAtEnd,
            paused == null ? Double.NaN : paused.readMillis, paused == null ? null : paused.error);
    }

    /** Splits the chunk holding a random hashed key at that key (a new boundary). */
    private static synchronized void split(MongoDatabase admin, String ns, TreeSet<Long> bounds) {
        long at;
        do {
            at = ThreadLocalRandom.current().nextLong();
        } while (bounds.contains(at));
        admin.runCommand(new Document("split", ns).append("middle", new Document("_id", at)));
        bounds.add(at);
    }

    /**
     * Refresh after one split done directly on the config server, timed on a CatalogCache that already holds the map.
     * Then the same two config-server reads the refresh makes (the collection entry, the chunks newer than the cached
     * version) are timed alone, so the report can tell round trips from the router's own work.
     *
     * @return {refresh times, config-server query times} in microseconds
     */
    private static Histogram[] timeRefresh(MongoClient config, MongoDatabase configAdmin, String ns, int chunks, TreeSet<Long> bounds,
                                           int samples) {
        Histogram refresh = Histograms.create();
        Histogram queries = Histograms.create();
        var collections = config.getDatabase("config").getCollection("collections", BsonDocument.class);
        var chunkDocs = config.getDatabase("config").getCollection("chunks", BsonDocument.class);
        try (CatalogCache cache = new CatalogCache(config)) {
            ChunkMap current = cache.chunkMap(ns).join().orElseThrow();
            int warmups = Math.max(5, samples / 2); // the first refreshes load classes and run interpreted
            for (int i = 0; i < warmups + samples; i++) {
                split(configAdmin, ns, bounds);
                long t0 = System.nanoTime();
                Optional<ChunkMap> map = cache.refresh(ns).join();
                long micros = (System.nanoTime() - t0) / 1000;
                int expected = chunks + bounds.size();
                if (map.isEmpty() || map.get().size() != expected) {
                    throw new IllegalStateException("refresh saw " + map.map(ChunkMap::size).orElse(0) + " chunks, expected " + expected);
                }
                long q0 = System.nanoTime();
                BsonDocument coll = collections.find(Filters.and(Filters.eq("_id", ns), Filters.ne("dropped", true))).first();
                int changed = 0;
                for (BsonDocument d : chunkDocs.find(Filters.and(Filters.eq("uuid", coll.get("uuid")),
                    Filters.gt("lastmod", current.collectionVersion().asTimestamp())))) {
                    changed++;
                }
                long queryMicros = (System.nanoTime() - q0) / 1000;
                if (changed == 0) {
                    throw new IllegalStateException("the split changed no chunk of " + ns);
                }
                current = map.get();
                if (i >= warmups) {
                    refresh.recordValue(micros);
                    queries.recordValue(queryMicros);
                }
            }
        }
        return new Histogram[] {refresh, queries};
    }

    private static PhaseResult readsOfB(BenchContext ctx, Duration d) {
        return ctx.runner.run(new PhaseSpec("refresh-isolation", Workloads.TARGETED_READ, BenchSettings.DATABASE, ctx.layout(1), ctx.router,
            ISOLATION_CLIENTS, d, 0));
    }

    /** Reads of B while {@code churn} runs in a loop on another thread (each call makes the router refresh A). */
    private static PhaseResult readsDuring(BenchContext ctx, Runnable churn, Histogram churnMicros, AtomicLong churns) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> storm = CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                long t0 = System.nanoTime();
                churn.run();
                synchronized (churnMicros) {
                    churnMicros.recordValue(Math.min(Histograms.MAX_MICROS, (System.nanoTime() - t0) / 1000));
                }
                churns.incrementAndGet();
            }
        });
        try {
            return readsOfB(ctx, ctx.settings.isolationSlice);
        } finally {
            stop.set(true);
            storm.get(60, TimeUnit.SECONDS);
        }
    }

    private record Paused(Aggregate reads, double seconds, boolean pendingAtEnd, double readMillis, String error) {
    }

    /**
     * A's routing goes stale (its chunk moved by the config server behind the router's back), the config server is
     * paused, a read of A makes the router refresh A (which hangs), and B is read meanwhile.
     */
    private static Paused pausedConfig(BenchContext ctx) throws Exception {
        String ns = BenchSettings.DATABASE + "." + PAUSED;
        long middle = 1L << 62;
        MongoDatabase admin = ctx.router.client().getDatabase("admin");
        admin.runCommand(new Document("shardCollection", ns).append("key", new Document("_id", 1)));
        admin.runCommand(new Document("split", ns).append("middle", new Document("_id", middle)));
        admin.runCommand(new Document("moveChunk", ns).append("find", new Document("_id", middle)).append("to", "shard1"));
        var a = ctx.router.collection(BenchSettings.DATABASE, PAUSED);
        a.insertOne(new Document("_id", middle + 5).append("v", 1));
        if (a.find(Filters.eq("_id", middle + 5)).first() == null) {
            throw new IllegalStateException("setup read of " + ns + " found nothing");
        }
        try (MongoClient config = ctx.client(ctx.cluster.configUri())) {
            config.getDatabase("admin").runCommand(new Document("moveChunk", ns).append("find", new Document("_id", middle))
                .append("to", "shard0"));
        }
        Aggregate reads = new Aggregate("paused", "router");
        long t0 = System.nanoTime();
        ctx.cluster.signal("config", "STOP");
        CompletableFuture<Document> readOfA;
        boolean pending;
        try {
            readOfA = CompletableFuture.supplyAsync(() -> a.find(Filters.eq("_id", middle + 5)).first());
            reads.add(readsOfB(ctx, ctx.settings.isolationSlice));
            pending = !readOfA.isDone();
        } finally {
            ctx.cluster.signal("config", "CONT");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String error = null;
        try {
            Document d = readOfA.get(60, TimeUnit.SECONDS);
            if (d == null) {
                error = "the read of A found nothing";
            }
        } catch (Exception e) {
            error = String.valueOf(e.getCause() != null ? e.getCause() : e);
        }
        double readMillis = (System.nanoTime() - t0) / 1e6;
        ctx.progress.note(String.format("config server paused %.1f s: B %,.0f reads/s, p99 %.3f ms, max %.3f ms; read of A %s, took %.0f ms%s",
            seconds, reads.throughput(), Histograms.millis(reads.latency(), 99), Histograms.maxMillis(reads.latency()),
            pending ? "waited for the refresh" : "did not wait", readMillis, error != null ? " (" + error + ")" : ""));
        return new Paused(reads, seconds, pending, readMillis, error);
    }
}
