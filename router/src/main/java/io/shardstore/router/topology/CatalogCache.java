package io.shardstore.router.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

import io.shardstore.sharding.Chunk;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.ChunkVersion;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * The router's cached view of the config server: databases (primary shards), sharded collections
 * (chunk maps) and shards. Maps are immutable and replaced whole (copy-on-write), so a refresh never
 * blocks a request for another collection; a refresh of a collection reads only the chunks whose
 * version is newer than the cached map's (one read of config.chunks) and splices them into the map; the
 * full map is read again only when the collection's epoch changed.
 */
public final class CatalogCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CatalogCache.class);

    private final MongoDatabase config;
    private final MongoClient client;
    private final ExecutorService refresher = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "catalog-refresh");
        t.setDaemon(true);
        return t;
    });
    private final AsyncLoadingCache<String, String> primaries;
    private final Map<String, CompletableFuture<Optional<ChunkMap>>> collections = new ConcurrentHashMap<>();
    private volatile CompletableFuture<Map<String, String>> shards;
    private final PlainShardViews plainViews = new PlainShardViews();
    private final PlainFences fences;
    /** The plain shards of the last shard list read (see {@link #isPlain}). */
    private volatile java.util.Set<String> plainShards = java.util.Set.of();
    /** Only makes {@link #reloadShards}'s look-and-replace atomic; held for no I/O (the read runs on the refresher). */
    private final Object shardsLock = new Object();
    /**
     * Routings already resolved from a cached primary and chunk map, by database then collection, valid while
     * {@link #generation} is unchanged: a request finds its routing with two map reads and no string built.
     */
    private final ResolvedRoutings resolved = new ResolvedRoutings();
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private static final long PRIMARY_TTL_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** The uuid each cached chunk map was read under, so an incremental refresh is a single read of config.chunks. */
    private final Map<String, BsonValue> uuids = new ConcurrentHashMap<>();

    public CatalogCache(MongoClient configClient) {
        this.client = configClient;
        this.config = configClient.getDatabase("config");
        this.primaries = Caffeine.newBuilder().executor(refresher).expireAfterWrite(PRIMARY_TTL_NANOS, TimeUnit.NANOSECONDS)
            .buildAsync(this::loadPrimary);
        this.fences = new PlainFences(this, config);
    }

    /** Migrations over plain shards as this router takes part in them (lease, critical sections, ownership filter). */
    public PlainFences plainFences() {
        return fences;
    }

    /** Where {@code db.coll} lives; creates the database's entry (and so picks its primary) on first use. */
    public CompletableFuture<Routing> routing(String db, String coll) {
        ResolvedRoutings.Resolved known = resolved.get(db, coll);
        if (known != null && known.generation() == generation.get() && System.nanoTime() - known.expiresAt() < 0) {
            return known.routing(); // the usual case: no string built, no cache entry touched, nothing allocated
        }
        long seen = generation.get();
        String ns = db + "." + coll;
        CompletableFuture<String> primary = primaries.get(db);
        CompletableFuture<Optional<ChunkMap>> map = chunkMap(ns);
        if (primary.isDone() && map.isDone() && !primary.isCompletedExceptionally() && !map.isCompletedExceptionally()) {
            CompletableFuture<Routing> done = CompletableFuture.completedFuture(routing(ns, primary.join(), map.join()));
            // Kept no longer than the database's cached primary: a movePrimary elsewhere shows up when that expires.
            long age = primaries.synchronous().policy().expireAfterWrite()
                .map(p -> p.ageOf(db, TimeUnit.NANOSECONDS).orElse(PRIMARY_TTL_NANOS))
                .orElse(PRIMARY_TTL_NANOS); // unknown age: not kept at all
            resolved.put(db, coll, new ResolvedRoutings.Resolved(done, seen, System.nanoTime() + PRIMARY_TTL_NANOS - age));
            return done;
        }
        return primary.thenCombine(map, (p, m) -> routing(ns, p, m));
    }

    /** Drops every resolved routing: called on each change of a chunk map, a primary or the shard list. */
    private void changed() {
        generation.incrementAndGet();
        resolved.clear();
    }

    private static Routing routing(String ns, String primary, Optional<ChunkMap> map) {
        return map.<Routing>map(m -> new Routing.Sharded(ns, m, primary)).orElseGet(() -> new Routing.Unsharded(primary));
    }

    public CompletableFuture<String> primary(String db) {
        return primaries.get(db);
    }

    public CompletableFuture<Optional<ChunkMap>> chunkMap(String ns) {
        return collections.computeIfAbsent(ns, n -> CompletableFuture.supplyAsync(() -> load(n, Optional.empty()), refresher));
    }

    /**
     * Refreshes one collection after StaleConfig or a DDL. Requests already holding the old map keep it;
     * new ones wait only for this collection's refresh.
     */
    public CompletableFuture<Optional<ChunkMap>> refresh(String ns) {
        CompletableFuture<Optional<ChunkMap>> previous = collections.get(ns);
        Optional<ChunkMap> known = previous != null && previous.isDone() && !previous.isCompletedExceptionally()
            ? previous.join() : Optional.empty();
        CompletableFuture<Optional<ChunkMap>> next = CompletableFuture.supplyAsync(() -> load(ns, known), refresher);
        collections.put(ns, next);
        changed();
        return next;
    }

    public void invalidateDatabase(String db) {
        primaries.synchronous().invalidate(db);
        collections.keySet().removeIf(ns -> ns.startsWith(db + "."));
        changed();
    }

    public void invalidateAll() {
        primaries.synchronous().invalidateAll();
        collections.clear();
        shards = null;
        changed();
    }

    /** Shard name to host string, from config.shards. */
    public CompletableFuture<Map<String, String>> shards() {
        CompletableFuture<Map<String, String>> s = shards;
        if (s == null || s.isCompletedExceptionally()) {
            s = CompletableFuture.supplyAsync(() -> {
                Map<String, String> m = new HashMap<>();
                java.util.Set<String> plain = new java.util.HashSet<>();
                for (BsonDocument d : config.getCollection("shards", BsonDocument.class).find()) {
                    m.put(d.getString("_id").getValue(), d.getString("host").getValue());
                    if (d.getBoolean("plain", org.bson.BsonBoolean.FALSE).getValue()) {
                        plain.add(d.getString("_id").getValue());
                    }
                }
                plainShards = java.util.Set.copyOf(plain); // before the list is handed out: who reads one sees the other
                return m;
            }, refresher);
            shards = s;
        }
        return s;
    }

    /**
     * Whether {@code shard} is a plain shard (a real mongod, or our node with --plain: config.shards says
     * {@code plain: true}): it is never sent a shard version (issue 11). Read with the shard list.
     */
    public boolean isPlain(String shard) {
        return plainShards.contains(shard);
    }

    /** Whether any shard of the last shard list read is plain (one volatile read). */
    public boolean anyPlain() {
        return !plainShards.isEmpty();
    }

    /** The views of databases whose primary shard is plain, which this router resolves itself. */
    public PlainShardViews plainViews() {
        return plainViews;
    }

    public void invalidateShards() {
        shards = null;
        changed();
    }

    /**
     * The shard list read again, unless it already was since {@code seen} was handed out (then that newer read):
     * many requests meeting the same new shard id cause one read of config.shards, not one each.
     */
    public CompletableFuture<Map<String, String>> reloadShards(CompletableFuture<Map<String, String>> seen) {
        synchronized (shardsLock) {
            if (shards == seen) {
                invalidateShards();
            }
            return shards();
        }
    }

    public MongoClient configClient() {
        return client;
    }

    public ExecutorService executor() {
        return refresher;
    }

    /**
     * Keeps this router's entry in config.mongos fresh (every 30 s, as mongos pings), so {@code sh.status()}
     * lists the active routers.
     */
    public void advertise(String hostPort, java.time.Instant started) {
        java.util.concurrent.ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "router-ping");
            t.setDaemon(true);
            return t;
        });
        pinger.scheduleWithFixedDelay(() -> {
            try {
                config.getCollection("mongos", BsonDocument.class).replaceOne(Filters.eq("_id", hostPort),
                    new BsonDocument("_id", new BsonString(hostPort))
                        .append("ping", new org.bson.BsonDateTime(System.currentTimeMillis()))
                        .append("up", new org.bson.BsonInt64(java.time.Duration.between(started, java.time.Instant.now()).toSeconds()))
                        .append("mongoVersion", new BsonString("7.0.14")),
                    new com.mongodb.client.model.ReplaceOptions().upsert(true));
            } catch (RuntimeException e) {
                log.debug("cannot ping config.mongos: {}", e.toString());
            }
        }, 0, 30, TimeUnit.SECONDS);
        pingers.add(pinger);
    }

    private final java.util.List<java.util.concurrent.ScheduledExecutorService> pingers = new java.util.concurrent.CopyOnWriteArrayList<>();

    private String loadPrimary(String db) {
        BsonDocument reply = client.getDatabase("admin").runCommand(
            new BsonDocument("_configsvrCreateDatabase", new BsonString(db)), BsonDocument.class);
        return reply.getDocument("database").getString("primary").getValue();
    }

    private Optional<ChunkMap> load(String ns, Optional<ChunkMap> known) {
        var chunks = config.getCollection("chunks", BsonDocument.class);
        BsonValue knownUuid = known.isPresent() ? uuids.get(ns) : null;
        if (knownUuid != null) {
            // One read: the chunks of the cached incarnation newer than the cached version. An epoch comes with a
            // new uuid (shardCollection), so a re-created collection shows up as nothing newer, read below.
            List<Chunk> changed = newer(chunks, knownUuid, known.get().collectionVersion());
            if (!changed.isEmpty()) {
                log.debug("refreshed {} incrementally: {} changed chunks", ns, changed.size());
                return Optional.of(known.get().withChanges(changed));
            }
        }
        BsonDocument coll = config.getCollection("collections", BsonDocument.class)
            .find(Filters.and(Filters.eq("_id", ns), Filters.ne("dropped", true))).first();
        if (coll == null) {
            uuids.remove(ns);
            return Optional.empty();
        }
        ObjectId epoch = coll.getObjectId("lastmodEpoch").getValue();
        BsonTimestamp timestamp = coll.getTimestamp("timestamp");
        ShardKeyPattern key = new ShardKeyPattern(coll.getDocument("key"));
        if (known.isPresent() && known.get().collectionVersion().epoch().equals(epoch)) {
            if (coll.get("uuid").equals(knownUuid)) {
                return known; // nothing newer, read above
            }
            List<Chunk> changed = newer(chunks, coll.get("uuid"), known.get().collectionVersion());
            uuids.put(ns, coll.get("uuid"));
            return changed.isEmpty() ? known : Optional.of(known.get().withChanges(changed));
        }
        List<Chunk> all = new ArrayList<>();
        for (BsonDocument d : chunks.find(Filters.eq("uuid", coll.get("uuid"))).sort(Sorts.ascending("min"))) {
            all.add(chunk(d, epoch, timestamp));
        }
        if (all.isEmpty()) {
            return Optional.empty();
        }
        log.debug("loaded {}: {} chunks", ns, all.size());
        uuids.put(ns, coll.get("uuid"));
        return Optional.of(new ChunkMap(key, all));
    }

    private static List<Chunk> newer(com.mongodb.client.MongoCollection<BsonDocument> chunks, BsonValue uuid, ChunkVersion since) {
        List<Chunk> changed = new ArrayList<>();
        for (BsonDocument d : chunks.find(Filters.and(Filters.eq("uuid", uuid), Filters.gt("lastmod", since.asTimestamp())))) {
            changed.add(chunk(d, since.epoch(), since.timestamp()));
        }
        return changed;
    }

    private static Chunk chunk(BsonDocument d, ObjectId epoch, BsonTimestamp timestamp) {
        return new Chunk(d.getDocument("min"), d.getDocument("max"), d.getString("shard").getValue(),
            ChunkVersion.fromLastmod(d.getTimestamp("lastmod"), epoch, timestamp));
    }

    @Override
    public void close() {
        fences.close();
        pingers.forEach(java.util.concurrent.ExecutorService::shutdownNow);
        refresher.shutdownNow();
    }
}
