package io.shardstore.config.resharding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.KeyOrder;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * The config server's resharding: starts operations ({@code _configsvrReshardCollection}), answers how they stand
 * ({@code _configsvrReshardingStatus}, which the router polls for the client's reshardCollection), aborts them, shows
 * them in $currentOp, and on becoming primary finishes the decided operations of a previous primary and undoes the
 * undecided ones (config.reshardingOperations).
 */
public final class ReshardingCoordinator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReshardingCoordinator.class);
    /** Keys read from the data to cut a range key's chunks at its quantiles. */
    private static final int SAMPLE = 20_000;
    private static final int MAX_CHUNKS = 1_000;

    private final ConfigContext config;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "resharding");
        t.setDaemon(true);
        return t;
    });
    /** The operations this member runs, by namespace. */
    private final Map<String, ReshardingRun> runs = new ConcurrentHashMap<>();
    /** The operations being finished or undone in the background, by resharding UUID. */
    private final java.util.Set<BsonValue> recovering = ConcurrentHashMap.newKeySet();
    /** Recently ended operations, by resharding UUID, for the router's last poll. */
    private final Map<BsonValue, ReshardingRun> ended = java.util.Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<BsonValue, ReshardingRun> eldest) {
            return size() > 100;
        }
    });

    public ReshardingCoordinator(ConfigContext config) {
        this.config = config;
    }

    /** Whether a collection entry is being resharded (moveChunk, split and the balancer leave it alone). */
    public static boolean inProgress(BsonDocument collection) {
        return collection != null && collection.containsKey("reshardingFields");
    }

    public static RuntimeException conflict(String ns) {
        return Errors.of(ErrorCode.ConflictingOperationInProgress, ns + " is being resharded; try again when reshardCollection ends");
    }

    /** Starts resharding {@code ns} to {@code key}; answers {reshardingUUID} or, when the key is already that, {noop: true}. */
    public BsonDocument start(ConfigCatalog catalog, String ns, BsonDocument body) {
        if (!body.isDocument("key")) {
            throw Errors.of(ErrorCode.TypeMismatch, "BSON field 'reshardCollection.key' is missing or not an object");
        }
        ShardKeyPattern newKey = new ShardKeyPattern(body.getDocument("key"));
        BsonValue unique = body.get("unique");
        if (unique != null && !unique.isNull() && !unique.isBoolean()) {
            throw Errors.of(ErrorCode.TypeMismatch, "BSON field 'reshardCollection.unique' is the wrong type, expected type 'bool'");
        }
        if (unique != null && unique.isBoolean() && unique.asBoolean().getValue()) {
            throw Errors.of(ErrorCode.BadValue, "reshardCollection: only unique: false is supported");
        }
        if (body.containsKey("collation") && !(body.isDocument("collation")
            && body.getDocument("collation").equals(new BsonDocument("locale", new BsonString("simple"))))) {
            throw Errors.of(ErrorCode.BadValue, "reshardCollection: only the simple collation {locale: 'simple'} is supported");
        }
        return config.exclusive(() -> {
            BsonDocument collection = catalog.collection(ns);
            if (collection == null) {
                throw Errors.of(ErrorCode.NamespaceNotSharded, ns + " is not sharded");
            }
            ReshardingRun running = runs.get(ns);
            if (running != null) {
                if (running.key().equals(newKey.pattern())) {
                    return new BsonDocument("reshardingUUID", running.uuid()); // the same request again: join it
                }
                throw Errors.of(ErrorCode.ReshardCollectionInProgress, "reshardCollection of " + ns + " to "
                    + running.key().toJson() + " is in progress");
            }
            if (inProgress(collection)) {
                throw Errors.of(ErrorCode.ReshardCollectionInProgress, "a reshardCollection of " + ns
                    + " begun by a previous config primary is being completed or undone");
            }
            if (collection.getDocument("key").equals(newKey.pattern())) {
                return new BsonDocument("noop", BsonBoolean.TRUE);
            }
            ReshardingRun run = plan(catalog, ns, collection, newKey, body);
            runs.put(ns, run);
            run.outcome.whenComplete((r, e) -> {
                runs.remove(ns, run);
                ended.put(run.uuid(), run);
            });
            executor.execute(run);
            return new BsonDocument("reshardingUUID", run.uuid());
        });
    }

    /** Validates, lays out the new chunks, persists the operation and creates the temporary collections. */
    private ReshardingRun plan(ConfigCatalog catalog, String ns, BsonDocument collection, ShardKeyPattern newKey, BsonDocument body) {
        String db = ns.substring(0, ns.indexOf('.'));
        String coll = ns.substring(db.length() + 1);
        ChunkMap oldMap = catalog.chunkMap(ns);
        List<String> donors = new ArrayList<>(new java.util.TreeSet<>(oldMap.allShards()));
        List<BsonDocument> shardDocs = catalog.shards();
        List<String> shards = new ArrayList<>();
        Map<String, List<String>> zoneShards = new HashMap<>();
        for (BsonDocument s : shardDocs) {
            String name = s.getString("_id").getValue();
            if (!s.getBoolean("draining", BsonBoolean.FALSE).getValue()) {
                shards.add(name);
                s.getArray("tags", new BsonArray()).forEach(t -> zoneShards.computeIfAbsent(t.asString().getValue(), k -> new ArrayList<>()).add(name));
            }
        }
        if (shards.isEmpty()) {
            throw Errors.of(ErrorCode.ShardNotFound, "no shard can receive chunks (every shard is draining)");
        }
        List<BsonDocument> zones = zones(catalog, ns, newKey, body, zoneShards);

        // Indexes: the donors' (a unique one must start with the new key), and the new key's own when none starts with it.
        MongoDatabase donorDb = config.shard(catalog, donors.get(0)).getDatabase(db);
        List<BsonDocument> indexes = new ArrayList<>();
        boolean keyIndexed = false;
        for (BsonDocument index : donorDb.getCollection(coll).listIndexes(BsonDocument.class)) {
            String name = index.getString("name").getValue();
            BsonDocument indexKey = index.getDocument("key");
            boolean prefixed = io.shardstore.config.command.ShardCollectionCommand.isPrefix(newKey.pattern(), indexKey);
            if (index.getBoolean("unique", BsonBoolean.FALSE).getValue() && !name.equals("_id_") && !prefixed) {
                throw Errors.of(ErrorCode.InvalidOptions, "can't reshard collection '" + ns + "' with unique index on "
                    + indexKey.toJson() + " and proposed shard key " + newKey.pattern().toJson()
                    + ". Uniqueness can't be maintained unless shard key is a prefix");
            }
            keyIndexed |= prefixed && sameKinds(indexKey, newKey.pattern());
            if (!name.equals("_id_")) {
                BsonDocument spec = index.clone();
                spec.remove("v");
                spec.remove("ns");
                indexes.add(spec);
            }
        }
        if (!keyIndexed) {
            indexes.add(new BsonDocument("key", newKey.pattern()).append("name", new BsonString(io.shardstore.config.command.ShardCollectionCommand.indexName(newKey.pattern()))));
        }

        // The new layout: quantiles of the new key over the data (range keys), or even slices of the hash space.
        long documents = 0;
        long bytes = 0;
        List<BsonDocument> sample = new ArrayList<>();
        java.util.Random random = new java.util.Random(42);
        long seen = 0;
        for (String donor : donors) {
            BsonDocument stats = config.shard(catalog, donor).getDatabase(db).runCommand(new BsonDocument("collStats", new BsonString(coll)), BsonDocument.class);
            documents += stats.isNumber("count") ? stats.getNumber("count").longValue() : 0;
            bytes += stats.isNumber("size") ? stats.getNumber("size").longValue() : 0;
            if (newKey.isHashed()) {
                continue;
            }
            List<String> fields = new ArrayList<>(newKey.fields());
            fields.addAll(oldMap.keyPattern().fields());
            for (BsonDocument doc : config.shard(catalog, donor).getDatabase(db).getCollection(coll, BsonDocument.class)
                .find().projection(Projections.include(fields)).batchSize(5000)) {
                if (!oldMap.chunkFor(ReshardingLayout.keyOf(oldMap.keyPattern(), doc)).shard().equals(donor)) {
                    continue;
                }
                BsonDocument k = ReshardingLayout.keyOf(newKey, doc);
                seen++;
                if (sample.size() < SAMPLE) {
                    sample.add(k);
                } else {
                    long at = (long) (random.nextDouble() * seen);
                    if (at < SAMPLE) {
                        sample.set((int) at, k); // reservoir: every document equally likely in the sample
                    }
                }
            }
        }
        int wanted = body.isNumber("numInitialChunks") && body.getNumber("numInitialChunks").intValue() > 0
            ? body.getNumber("numInitialChunks").intValue() : Math.max(oldMap.size(), 2 * shards.size());
        wanted = Math.min(wanted, MAX_CHUNKS);

        BsonBinary uuid = ConfigCatalog.newUuid();
        BsonBinary newCollectionUuid = ConfigCatalog.newUuid();
        int now = (int) (System.currentTimeMillis() / 1000);
        BsonTimestamp timestamp = new BsonTimestamp(now, 1);
        List<BsonDocument> chunks = ReshardingLayout.chunks(newKey, sample, wanted, shards, zoneShards, zones, newCollectionUuid, timestamp);
        BsonDocument newCollection = new BsonDocument("_id", new BsonString(ns))
            .append("lastmodEpoch", new BsonObjectId(new ObjectId()))
            .append("lastmod", new BsonDateTime(System.currentTimeMillis()))
            .append("timestamp", timestamp)
            .append("uuid", newCollectionUuid)
            .append("key", newKey.pattern())
            .append("unique", BsonBoolean.FALSE)
            .append("noBalance", collection.get("noBalance", BsonBoolean.FALSE));
        ChunkMap newMap = ConfigCatalog.chunkMap(newCollection, chunks);
        List<String> recipients = new ArrayList<>(new java.util.TreeSet<>(newMap.allShards()));
        // MongoDB names it system.resharding.<uuid>; the nodes' engine refuses writes to system collections.
        String tempNs = db + ".resharding." + uuid.asUuid();
        BsonDocument op = new BsonDocument("_id", uuid)
            .append("ns", new BsonString(ns))
            .append("reshardingKey", newKey.pattern())
            .append("tempNs", new BsonString(tempNs))
            .append("state", new BsonString("initializing"))
            .append("donorShards", strings(donors))
            .append("recipientShards", strings(recipients))
            .append("oldCollectionUUID", collection.get("uuid"))
            .append("startTime", new BsonDateTime(System.currentTimeMillis()))
            .append("plannedCollection", newCollection)
            .append("plannedChunks", new BsonArray(chunks));
        if (body.isArray("zones")) {
            op.append("zones", new BsonArray(zones));
        }
        catalog.saveReshardingOperation(op);
        catalog.setReshardingFields(ns, collection.get("uuid"), new BsonDocument("reshardingUUID", uuid)
            .append("state", new BsonString("initializing")));
        try {
            for (String recipient : recipients) {
                MongoDatabase target = config.shard(catalog, recipient).getDatabase(db);
                target.runCommand(new BsonDocument("create", new BsonString(tempNs.substring(db.length() + 1))));
                if (!indexes.isEmpty()) {
                    target.runCommand(new BsonDocument("createIndexes", new BsonString(tempNs.substring(db.length() + 1)))
                        .append("indexes", new BsonArray(indexes)));
                }
            }
        } catch (RuntimeException e) {
            ReshardingParticipants.abort(config, catalog, op);
            catalog.removeReshardingOperation(uuid);
            throw e;
        }
        log.info("resharding {} from {} to {}: {} chunks on {}, about {} documents, from {}", ns, oldMap.keyPattern(),
            newKey.pattern().toJson(), chunks.size(), recipients, documents, donors);
        return new ReshardingRun(config, catalog, op, oldMap, newMap, documents, bytes, this);
    }

    /** The zones given with the command (checked against the new key and the shards' zones), else none. */
    private static List<BsonDocument> zones(ConfigCatalog catalog, String ns, ShardKeyPattern key, BsonDocument body,
                                            Map<String, List<String>> zoneShards) {
        List<BsonDocument> zones = new ArrayList<>();
        if (!body.containsKey("zones")) {
            // Ranges already written on the new key's fields are honoured; the old key's cannot be.
            for (BsonDocument r : catalog.zoneRanges(ns)) {
                if (key.fields().equals(new ArrayList<>(r.getDocument("min").keySet()))) {
                    zones.add(new BsonDocument("min", r.getDocument("min")).append("max", r.getDocument("max")).append("zone", r.getString("tag")));
                }
            }
            return zones;
        }
        if (!body.isArray("zones")) {
            throw Errors.of(ErrorCode.TypeMismatch, "BSON field 'reshardCollection.zones' is the wrong type, expected type 'array'");
        }
        for (BsonValue v : body.getArray("zones")) {
            if (!v.isDocument() || !v.asDocument().isDocument("min") || !v.asDocument().isDocument("max") || !v.asDocument().isString("zone")) {
                throw Errors.of(ErrorCode.TypeMismatch, "each zone must be {min: <key>, max: <key>, zone: <string>}");
            }
            BsonDocument z = v.asDocument();
            BsonDocument min = z.getDocument("min");
            BsonDocument max = z.getDocument("max");
            if (!key.fields().equals(new ArrayList<>(min.keySet())) || !key.fields().equals(new ArrayList<>(max.keySet()))) {
                throw Errors.of(ErrorCode.ShardKeyNotFound, "zone range min: " + min.toJson() + " max: " + max.toJson()
                    + " must have the fields of the new shard key " + key.pattern().toJson() + ", in its order");
            }
            if (KeyOrder.INSTANCE.compare(min, max) >= 0) {
                throw Errors.of(ErrorCode.FailedToParse, "min: " + min.toJson() + " should be less than max: " + max.toJson());
            }
            String zone = z.getString("zone").getValue();
            if (!zoneShards.containsKey(zone)) {
                throw Errors.of(ErrorCode.ZoneNotFound, "zone " + zone + " does not exist");
            }
            for (BsonDocument other : zones) {
                if (KeyOrder.INSTANCE.compare(min, other.getDocument("max")) < 0 && KeyOrder.INSTANCE.compare(other.getDocument("min"), max) < 0) {
                    throw Errors.of(ErrorCode.RangeOverlapConflict, "zone ranges " + z.toJson() + " and " + other.toJson() + " overlap");
                }
            }
            zones.add(new BsonDocument("min", min).append("max", max).append("zone", new BsonString(zone)));
        }
        return zones;
    }

    /** How the operation for {@code uuid} stands: {state, done, [code, codeName, errmsg]}. */
    public BsonDocument status(ConfigCatalog catalog, BsonValue uuid) {
        ReshardingRun run = runs.values().stream().filter(r -> r.uuid().equals(uuid)).findFirst().orElse(ended.get(uuid));
        if (run != null) {
            if (!run.outcome.isDone()) {
                return new BsonDocument("state", new BsonString(run.state)).append("done", BsonBoolean.FALSE);
            }
            if (!run.outcome.isCompletedExceptionally()) {
                return new BsonDocument("state", new BsonString("done")).append("done", BsonBoolean.TRUE);
            }
            if ("aborted".equals(run.state)) {
                Throwable cause = run.outcome.handle((r, e) -> e).join();
                return failed(cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null ? cause.getCause() : cause);
            }
            // Decided but not finished here: the persisted operation says the rest.
        }
        BsonDocument op = catalog.reshardingOperation(uuid);
        if (op != null) {
            return new BsonDocument("state", op.getString("state")).append("done", BsonBoolean.FALSE);
        }
        BsonDocument change = catalog.lastChange(Filters.eq("details.reshardingUUID", uuid));
        if (change == null) {
            throw Errors.of(ErrorCode.NoSuchReshardCollection, "no resharding operation with this reshardingUUID");
        }
        if (change.getString("what").getValue().equals("resharding.commit")) {
            return new BsonDocument("state", new BsonString("done")).append("done", BsonBoolean.TRUE);
        }
        return new BsonDocument("state", new BsonString("aborted")).append("done", BsonBoolean.TRUE)
            .append("code", new BsonInt32(ErrorCode.ReshardCollectionAborted.code()))
            .append("codeName", new BsonString(ErrorCode.ReshardCollectionAborted.codeName()))
            .append("errmsg", new BsonString("reshardCollection aborted: " + change.getDocument("details").getString("reason", new BsonString("")).getValue()));
    }

    private static BsonDocument failed(Throwable cause) {
        int code = ErrorCode.ReshardCollectionAborted.code();
        String codeName = ErrorCode.ReshardCollectionAborted.codeName();
        if (cause instanceof de.bwaldvogel.mongo.exception.MongoServerError e) {
            code = e.getCode();
            codeName = e.getCodeName();
        } else if (cause instanceof com.mongodb.MongoCommandException e) {
            code = e.getErrorCode();
            codeName = e.getErrorCodeName();
        }
        return new BsonDocument("state", new BsonString("aborted")).append("done", BsonBoolean.TRUE)
            .append("code", new BsonInt32(code)).append("codeName", new BsonString(codeName))
            .append("errmsg", new BsonString(String.valueOf(cause.getMessage())));
    }

    /** abortReshardCollection: stops the operation on {@code ns} if it has not decided yet, and waits until it is undone. */
    public BsonDocument abort(ConfigCatalog catalog, String ns) {
        // Under the DDL lock: an operation being started (persisted, not yet running) is found once its start ends.
        ReshardingRun run = config.exclusive(() -> runs.get(ns));
        if (run == null) {
            BsonDocument collection = catalog.collection(ns);
            if (inProgress(collection)) {
                throw Errors.of(ErrorCode.ReshardCollectionInProgress, "the resharding of " + ns
                    + " begun by a previous config primary is being completed or undone");
            }
            throw Errors.of(ErrorCode.NoSuchReshardCollection, "no resharding operation in progress for " + ns);
        }
        if (run.state.equals("committing") || run.state.equals("done")) {
            throw Errors.of(ErrorCode.ReshardCollectionCommitted, "the resharding of " + ns + " has already decided to commit");
        }
        run.abortRequested = true;
        try {
            run.outcome.handle((r, e) -> null).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw Errors.of(ErrorCode.OperationFailed, "the resharding of " + ns + " did not stop within 60 s");
        }
        if (!run.outcome.isCompletedExceptionally()) {
            throw Errors.of(ErrorCode.ReshardCollectionCommitted, "the resharding of " + ns + " committed before it could be aborted");
        }
        return new BsonDocument("ok", new org.bson.BsonDouble(1));
    }

    /** On becoming primary: completes the operations a previous primary decided, undoes the others. */
    public void recover(ConfigCatalog catalog) {
        List<BsonDocument> ops;
        try {
            ops = catalog.reshardingOperations();
        } catch (RuntimeException e) {
            log.warn("reading config.reshardingOperations failed: {}", e.toString());
            return;
        }
        for (BsonDocument op : ops) {
            String ns = op.getString("ns").getValue();
            if (runs.containsKey(ns)) {
                continue;
            }
            retryInBackground(catalog, op);
        }
    }

    /** Finishes (decided) or undoes an operation in the background, retrying while this member is primary. */
    void retryInBackground(ConfigCatalog catalog, BsonDocument op) {
        // One task per operation: recover() runs at every change of this member's state.
        if (recovering.add(op.get("_id"))) {
            executor.execute(() -> {
                try {
                    finishOrUndo(catalog, op);
                } finally {
                    recovering.remove(op.get("_id"));
                }
            });
        }
    }

    private void finishOrUndo(ConfigCatalog catalog, BsonDocument given) {
        String ns = given.getString("ns").getValue();
        for (int attempt = 1; config.writablePrimary(); attempt++) {
            boolean decided = false;
            try {
                // The persisted state decides (what this member holds in memory may not have been written).
                BsonDocument op = catalog.reshardingOperation(given.get("_id"));
                if (op == null) {
                    return;
                }
                decided = "committing".equals(op.getString("state").getValue());
                if (decided) {
                    ReshardingParticipants.commit(config, catalog, op);
                    end(catalog, op, "resharding.commit", new BsonDocument("recovered", BsonBoolean.TRUE));
                } else {
                    ReshardingParticipants.abort(config, catalog, op);
                    end(catalog, op, "resharding.abort", new BsonDocument("reason",
                        new BsonString("the operation was interrupted before it decided to commit (a change of config primary, "
                            + "or a shard that failed)")));
                }
                log.info("resharding of {} {} in the background", ns, decided ? "completed" : "undone");
                return;
            } catch (RuntimeException e) {
                log.warn("{} the resharding of {} failed (attempt {}): {}", decided ? "completing" : "undoing", ns, attempt, e.toString());
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(2_000, 100L * attempt)));
            }
        }
    }

    /** $currentOp entries of the operations this member runs. */
    public List<Document> currentOps() {
        List<Document> out = new ArrayList<>();
        runs.values().forEach(r -> out.add(r.currentOp()));
        return out;
    }

    /**
     * Records how the operation ended, then forgets it. In this order: the router's polls find the operation in
     * config.reshardingOperations until its outcome is in config.changelog, never neither.
     */
    static void end(ConfigCatalog catalog, BsonDocument op, String what, BsonDocument details) {
        catalog.logChange(changelog(what, op, details));
        catalog.removeReshardingOperation(op.get("_id"));
    }

    static BsonDocument changelog(String what, BsonDocument op, BsonDocument details) {
        BsonDocument d = new BsonDocument("reshardingUUID", op.get("_id")).append("reshardingKey", op.get("reshardingKey"));
        d.putAll(details);
        return new BsonDocument("_id", new BsonString(java.util.UUID.randomUUID().toString()))
            .append("what", new BsonString(what))
            .append("ns", op.get("ns"))
            .append("time", new BsonDateTime(System.currentTimeMillis()))
            .append("details", d);
    }

    private static BsonArray strings(List<String> values) {
        BsonArray out = new BsonArray();
        values.forEach(v -> out.add(new BsonString(v)));
        return out;
    }

    /** Whether the index's leading fields are of the key's kinds (hashed where the key is hashed). */
    private static boolean sameKinds(BsonDocument index, BsonDocument key) {
        for (String f : key.keySet()) {
            boolean hashedKey = key.get(f).isString();
            boolean hashedIndex = index.get(f).isString();
            if (hashedKey != hashedIndex) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
