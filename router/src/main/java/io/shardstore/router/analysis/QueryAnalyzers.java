package io.shardstore.router.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;

import io.shardstore.router.frontend.RouterRequest;

/**
 * The query analyzers of this router ({@code configureQueryAnalyzer}): which collections are sampled and how fast,
 * read from {@code config.queryAnalyzers} every second (so every router of the cluster samples, each at the
 * configured rate, as mongos does), and the sampled queries, written to {@code config.sampledQueries} in batches by a
 * background thread.
 * <p>
 * The request path pays one volatile read when no collection is sampled, a map lookup when some are, and a token
 * bucket check for a sampled collection; only a request that is taken copies its filter. The queue is bounded: when
 * the config server cannot keep up, samples are dropped and counted, requests never wait.
 */
public final class QueryAnalyzers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueryAnalyzers.class);
    static final int QUEUE_LIMIT = 20_000;
    private static final int BATCH = 1_000;

    /** One sampled collection: its configuration and a token bucket of samplesPerSecond. */
    static final class Sampler {
        final BsonDocument config;
        final BsonValue collectionUuid;
        final double perSecond;
        private double tokens;
        private long lastNanos;

        Sampler(BsonDocument config, double perSecond) {
            this.config = config;
            this.collectionUuid = config.get("collUuid", org.bson.BsonNull.VALUE);
            this.perSecond = perSecond;
            this.tokens = Math.max(1, perSecond); // a new configuration may take a second's worth at once
            this.lastNanos = System.nanoTime();
        }

        /** Whether a request arriving now is sampled: at most perSecond a second, bursts of at most one second's worth. */
        synchronized boolean take(long nowNanos) {
            tokens = Math.min(Math.max(1, perSecond), tokens + (nowNanos - lastNanos) / 1e9 * perSecond);
            lastNanos = nowNanos;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }

    private final MongoCollection<BsonDocument> configs;
    private final MongoCollection<BsonDocument> samples;
    private final ScheduledExecutorService background;
    private final ExecutorService analysis;
    private volatile Map<String, Sampler> active = Map.of();
    private final ConcurrentLinkedQueue<BsonDocument> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final LongAdder sampled = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private volatile boolean indexed;

    public QueryAnalyzers(MongoClient configClient) {
        this.configs = configClient.getDatabase("config").getCollection("queryAnalyzers", BsonDocument.class);
        this.samples = configClient.getDatabase("config").getCollection("sampledQueries", BsonDocument.class);
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "query-analyzers");
            t.setDaemon(true);
            return t;
        });
        this.analysis = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "shard-key-analysis");
            t.setDaemon(true);
            return t;
        });
        background.scheduleWithFixedDelay(this::refreshQuietly, 0, 1, TimeUnit.SECONDS);
        background.scheduleWithFixedDelay(this::flushQuietly, 200, 200, TimeUnit.MILLISECONDS);
    }

    /** The request path: samples the request when its collection is analyzed and the rate allows. */
    public void offer(RouterRequest request) {
        Map<String, Sampler> now = active;
        if (now.isEmpty()) {
            return;
        }
        if (!SampledQuery.SAMPLED.contains(request.name())) {
            return;
        }
        String coll = request.collection();
        if (coll == null) {
            return;
        }
        String ns = request.db() + "." + coll;
        Sampler sampler = now.get(ns);
        if (sampler == null || !sampler.take(System.nanoTime())) {
            return;
        }
        for (BsonDocument doc : SampledQuery.of(request, ns, sampler.collectionUuid, System.currentTimeMillis())) {
            if (pendingCount.incrementAndGet() > QUEUE_LIMIT) {
                pendingCount.decrementAndGet();
                dropped.increment();
            } else {
                pending.add(doc);
                sampled.increment();
            }
        }
    }

    /** Where shard-key analyses run: they read whole collections, never on an event loop. */
    public ExecutorService analysisExecutor() {
        return analysis;
    }

    /** Applies a configuration written by this router at once (the others see it within a second). */
    public void refreshNow() {
        refresh();
    }

    /** Writes out every sample taken so far (analyzeShardKey on this router then sees them). */
    public void flushNow() {
        while (flush() > 0) {
            // until the queue is empty
        }
    }

    public long sampledCount() {
        return sampled.sum();
    }

    public long droppedCount() {
        return dropped.sum();
    }

    public MongoCollection<BsonDocument> configurations() {
        return configs;
    }

    public MongoCollection<BsonDocument> sampledQueries() {
        return samples;
    }

    /** The sampled queries of {@code ns} (every collection when null), in MongoDB's layout. */
    public List<BsonDocument> samplesOf(String ns) {
        flushNow();
        List<BsonDocument> out = new ArrayList<>();
        for (BsonDocument d : ns == null ? samples.find() : samples.find(Filters.eq("ns", ns))) {
            out.add(SampledQuery.shown(d));
        }
        return out;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (MongoException | IllegalStateException e) {
            log.debug("query analyzer configurations not read: {}", e.toString());
        }
    }

    private synchronized void refresh() {
        Map<String, Sampler> next = new HashMap<>();
        Map<String, Sampler> before = active;
        for (BsonDocument c : configs.find(Filters.eq("mode", "full"))) {
            String ns = c.getString("ns", c.getString("_id", new BsonString(""))).getValue();
            double rate = c.get("samplesPerSecond") instanceof org.bson.BsonNumber n ? n.doubleValue() : 0;
            if (ns.isEmpty() || rate <= 0) {
                continue;
            }
            Sampler old = before.get(ns);
            next.put(ns, old != null && old.perSecond == rate && old.config.equals(c) ? old : new Sampler(c, rate));
        }
        active = next.isEmpty() ? Map.of() : Map.copyOf(next);
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (MongoException | IllegalStateException e) {
            log.debug("sampled queries not written: {}", e.toString());
        }
    }

    /** Writes one batch; returns how many. Samples that cannot be written are dropped (counted), not retried. */
    private synchronized int flush() {
        List<BsonDocument> batch = new ArrayList<>();
        for (BsonDocument d = pending.poll(); d != null; d = batch.size() < BATCH ? pending.poll() : null) {
            batch.add(d);
        }
        if (batch.isEmpty()) {
            return 0;
        }
        pendingCount.addAndGet(-batch.size());
        if (!indexed) {
            // config.sampledQueries expires its documents by their expireAt (a TTL index), as MongoDB's does.
            samples.createIndex(Indexes.ascending("expireAt"), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS));
            indexed = true;
        }
        try {
            samples.insertMany(batch, new InsertManyOptions().ordered(false));
        } catch (MongoException e) {
            dropped.add(batch.size());
            throw e;
        }
        return batch.size();
    }

    @Override
    public void close() {
        background.shutdownNow();
        analysis.shutdownNow();
    }
}
