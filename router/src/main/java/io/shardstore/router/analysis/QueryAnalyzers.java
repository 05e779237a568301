package io.shardstore.router.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * read from {@code config.queryAnalyzers} every 10 seconds (so every router of the cluster samples, each at the
 * configured rate, as mongos does), and the sampled queries, written to {@code config.sampledQueries} once a second by
 * a background thread, one document per namespace holding that second's samples as one binary value.
 * <p>
 * The request path pays one volatile read when no collection is sampled, a map lookup when some are, and a token
 * bucket check for a sampled collection; only a request that is taken copies its filter. The queue is bounded: when
 * the config server cannot keep up, samples are dropped and counted, requests never wait.
 */
public final class QueryAnalyzers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueryAnalyzers.class);
    static final int QUEUE_LIMIT = 20_000;
    private static final int BATCH = 5_000;

    /**
     * One sampled collection: its configuration and a token bucket of samplesPerSecond, kept lock-free as the time the
     * next sample is due (the generic cell rate algorithm): every request of the collection asks it, from every event
     * loop, and a lock there was contended on each of them.
     */
    static final class Sampler {
        final BsonDocument config;
        final BsonValue collectionUuid;
        final double perSecond;
        private final long intervalNanos;
        /** How far ahead of now the due time may run: one second's worth of samples (at least one). */
        private final long burstNanos;
        private final java.util.concurrent.atomic.AtomicLong due;

        Sampler(BsonDocument config, double perSecond) {
            this.config = config;
            this.collectionUuid = config.get("collUuid", org.bson.BsonNull.VALUE);
            this.perSecond = perSecond;
            this.intervalNanos = Math.max(1, (long) (1e9 / perSecond));
            this.burstNanos = Math.max(intervalNanos, 1_000_000_000L);
            // A new configuration starts with an empty bucket: its first second takes perSecond samples, not twice that.
            this.due = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        }

        /** Whether a request arriving now is sampled: at most perSecond a second, bursts of at most one second's worth. */
        boolean take(long nowNanos) {
            while (true) {
                long current = due.get();
                long next = Math.max(current, nowNanos - burstNanos) + intervalNanos;
                if (next - nowNanos > burstNanos) {
                    return false;
                }
                if (due.compareAndSet(current, next)) {
                    return true;
                }
            }
        }
    }

    /** A sample waiting to be written: its namespace and the sample document, already encoded. */
    private record Taken(String ns, org.bson.RawBsonDocument sample) {
    }

    private final MongoCollection<BsonDocument> configs;
    private final MongoCollection<BsonDocument> samples;
    private final MongoCollection<org.bson.RawBsonDocument> rawSamples;
    private final ScheduledExecutorService background;
    private final ExecutorService analysis;
    private volatile Map<String, Sampler> active = Map.of();
    /** The collection names of {@link #active}: most requests are turned away by one lookup, without building the ns. */
    private volatile java.util.Set<String> activeCollections = java.util.Set.of();
    private final ConcurrentLinkedQueue<Taken> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    /** Samples dropped since the last write (queue full, a sample that could not be built, a failed write). */
    private final LongAdder dropped = new LongAdder();
    private volatile boolean indexed;

    public QueryAnalyzers(MongoClient configClient) {
        this.configs = configClient.getDatabase("config").getCollection("queryAnalyzers", BsonDocument.class);
        this.samples = configClient.getDatabase("config").getCollection("sampledQueries", BsonDocument.class);
        this.rawSamples = configClient.getDatabase("config").getCollection("sampledQueries", org.bson.RawBsonDocument.class);
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
        // MongoDB's queryAnalysisSamplerConfigurationRefreshSecs: 10 (the router that configures applies it at once).
        background.scheduleWithFixedDelay(this::refreshQuietly, 0, 10, TimeUnit.SECONDS);
        // Once a second, everything taken (MongoDB writes its samples every 90 s): few, large inserts on the config server.
        // analyzeShardKey and $listSampledQueries write out what is pending first, so they never miss a sample.
        background.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * The request path: samples the request when its collection is analyzed and the rate allows. Returns the request to
     * run: itself, or, for a sampled update or findAndModify when {@code withDiffs}, a copy whose statements carry their
     * sample's id ({@link SampledQuery#withSampleIds}), so that the shard stores the change it makes.
     */
    public RouterRequest offer(RouterRequest request, boolean withDiffs) {
        Map<String, Sampler> now = active;
        if (now.isEmpty()) {
            return request;
        }
        if (!SampledQuery.SAMPLED.contains(request.name())) {
            return request;
        }
        String coll = request.collection();
        if (coll == null || !activeCollections.contains(coll)) {
            return request;
        }
        String ns = request.db() + "." + coll;
        Sampler sampler = now.get(ns);
        if (sampler == null || !sampler.take(System.nanoTime())) {
            return request;
        }
        List<org.bson.RawBsonDocument> taken;
        RouterRequest routed = request;
        try {
            taken = SampledQuery.of(request, ns, sampler.collectionUuid, System.currentTimeMillis());
            if (withDiffs) {
                routed = SampledQuery.withSampleIds(request, taken);
            }
        } catch (RuntimeException e) {
            // Sampling must never fail the request it looks at (the command itself answers a malformed one).
            dropped.increment();
            log.debug("{} on {} not sampled: {}", request.name(), ns, e.toString());
            return request;
        }
        for (org.bson.RawBsonDocument doc : taken) {
            if (pendingCount.incrementAndGet() > QUEUE_LIMIT) {
                pendingCount.decrementAndGet();
                dropped.increment();
            } else {
                pending.add(new Taken(ns, doc));
            }
        }
        return routed;
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
        flushPending();
    }

    /**
     * Writes what was pending when called, in batches of at most {@link #BATCH}. Not "until the queue is empty": samples
     * keep arriving while a batch is written, and draining them too wrote a document of one or two samples per
     * millisecond at 1,000 samples a second (hundreds of inserts a second on the config server instead of one).
     */
    private void flushPending() {
        int left = pendingCount.get();
        do {
            // At least one call: flush() is synchronized, so this also waits for a round already writing (whose
            // samples no longer count as pending), and analyzeShardKey then reads them stored.
            int written = flush();
            if (written == 0) {
                return;
            }
            left -= written;
        } while (left > 0);
    }

    public MongoCollection<BsonDocument> configurations() {
        return configs;
    }

    /** The sampled queries of {@code ns} (every collection when null), in MongoDB's layout. */
    public List<BsonDocument> samplesOf(String ns) {
        flushNow();
        List<BsonDocument> out = new ArrayList<>();
        for (BsonDocument batch : ns == null ? samples.find() : samples.find(Filters.eq("ns", ns))) {
            if (batch.isBinary("samplesBson")) {
                byte[] bytes = batch.getBinary("samplesBson").getData();
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (int at = 0; at + 4 <= bytes.length; ) {
                    int length = buffer.getInt(at);
                    if (length < 5 || length > bytes.length - at) {
                        log.warn("config.sampledQueries batch {} is damaged at byte {}: the rest of it is skipped", batch.get("_id"), at);
                        break;
                    }
                    out.add(new org.bson.RawBsonDocument(bytes, at, length));
                    at += length;
                }
            }
            for (BsonValue sample : batch.getArray("samples", new org.bson.BsonArray())) {
                out.add(SampledQuery.shown(sample.asDocument())); // batches written before the binary layout
            }
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
        java.util.Set<String> collections = new java.util.HashSet<>();
        next.keySet().forEach(ns -> collections.add(ns.substring(ns.indexOf('.') + 1)));
        activeCollections = java.util.Set.copyOf(collections);
        active = next.isEmpty() ? Map.of() : Map.copyOf(next);
    }

    private void flushQuietly() {
        long lost = dropped.sumThenReset();
        if (lost > 0) {
            log.warn("{} sampled queries dropped (the config server did not keep up, or a sample could not be built)", lost);
        }
        try {
            flushPending();
        } catch (MongoException | IllegalStateException e) {
            log.debug("sampled queries not written: {}", e.toString());
        }
    }

    /**
     * Writes what is pending, up to {@link #BATCH} samples, as one document per namespace ({@code {_id, ns, expireAt, count,
     * samplesBson}}); returns how many samples. One stored document per namespace and second instead of one per
     * sample: on the config server a sample cost about 200 us of CPU stored alone (bench/, decision 0012).
     * Samples that cannot be written are dropped (counted), not retried.
     */
    private synchronized int flush() {
        Map<String, List<org.bson.RawBsonDocument>> byNs = new LinkedHashMap<>();
        int n = 0;
        for (Taken t = pending.poll(); t != null; t = n < BATCH ? pending.poll() : null) {
            byNs.computeIfAbsent(t.ns(), k -> new ArrayList<>()).add(t.sample());
            n++;
        }
        if (n == 0) {
            return 0;
        }
        pendingCount.addAndGet(-n);
        if (!indexed) {
            // config.sampledQueries expires its documents by their expireAt (a TTL index), as MongoDB's does.
            samples.createIndex(Indexes.ascending("expireAt"), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS));
            samples.createIndex(Indexes.ascending("ns"));
            indexed = true;
        }
        long expireAt = System.currentTimeMillis() + SampledQuery.EXPIRE_AFTER_MILLIS;
        List<org.bson.RawBsonDocument> docs = new ArrayList<>();
        byNs.forEach((ns, list) -> docs.add(batchDocument(ns, expireAt, list)));
        try {
            rawSamples.insertMany(docs, new InsertManyOptions().ordered(false));
        } catch (MongoException e) {
            dropped.add(n);
            throw e;
        }
        return n;
    }

    /**
     * {@code {_id, ns, expireAt, count, samplesBson: BinData}}: the samples, encoded when taken, one after the other in
     * one binary value. The config server stores it without looking inside (an array of 1,000 sub-documents cost it
     * about 5 us of CPU per sample to store; bench/, decision 0012); the readers split it again ({@link #samplesOf}).
     */
    private static org.bson.RawBsonDocument batchDocument(String ns, long expireAt, List<org.bson.RawBsonDocument> list) {
        int size = 0;
        for (org.bson.RawBsonDocument sample : list) {
            size += sample.getByteBuffer().remaining();
        }
        byte[] packed = new byte[size];
        int at = 0;
        for (org.bson.RawBsonDocument sample : list) {
            org.bson.ByteBuf b = sample.getByteBuffer();
            int n = b.remaining();
            b.get(packed, at, n);
            at += n;
        }
        org.bson.io.BasicOutputBuffer out = new org.bson.io.BasicOutputBuffer(size + 128);
        try (org.bson.BsonBinaryWriter w = new org.bson.BsonBinaryWriter(out)) {
            w.writeStartDocument();
            w.writeObjectId("_id", new org.bson.types.ObjectId());
            w.writeString("ns", ns);
            w.writeDateTime("expireAt", expireAt);
            w.writeInt32("count", list.size());
            w.writeBinaryData("samplesBson", new org.bson.BsonBinary(packed));
            w.writeEndDocument();
        }
        return new org.bson.RawBsonDocument(out.toByteArray());
    }

    @Override
    public void close() {
        background.shutdownNow();
        analysis.shutdownNow();
    }
}
