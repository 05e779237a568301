package io.shardstore.config.resharding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * One reshardCollection, run by the config primary: copy every document the donors own into a temporary collection on
 * the shard that owns it under the new key, apply the writes made meanwhile (the donors capture the ids they change)
 * until a round is small, hold the donors' writes (critical section), apply the last round, persist the decision, and
 * commit ({@link ReshardingParticipants#commit}). Until the decision the operation can be aborted and leaves nothing
 * behind; after it, it completes, on this primary or the next one.
 */
final class ReshardingRun implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ReshardingRun.class);
    private static final int BATCH = 500;
    /** Changes in a catch-up round below which the critical section starts: its last round is then short. */
    private static final int SMALL_ROUND = 200;
    private static final int MAX_ROUNDS = 30;
    /**
     * A test hook, as MongoDB's fail point reshardingPauseCoordinatorBeforeCompletion: the coordinator waits this long
     * after persisting its decision and before committing, so a test can kill the config primary in between.
     */
    private static final long PAUSE_AFTER_DECISION_MILLIS = Long.getLong("shardstore.test.reshardingPauseAfterDecisionMillis", 0);

    private final ConfigContext config;
    private final ConfigCatalog catalog;
    final BsonDocument op;
    final String ns;
    private final String db;
    private final String tempColl;
    private final ChunkMap oldMap;
    private final ShardKeyPattern newKey;
    private final ChunkMap newMap;
    private final List<String> donors;
    private final List<String> recipients;
    final CompletableFuture<BsonDocument> outcome = new CompletableFuture<>();
    volatile boolean abortRequested;
    volatile String state;
    private final AtomicLong copied = new AtomicLong();
    private final AtomicLong bytesCopied = new AtomicLong();
    /** Changes drained from the donors; each is applied in the round that drains it (MongoDB's fetched = applied). */
    private final AtomicLong changesApplied = new AtomicLong();
    private final long approxDocuments;
    private final long approxBytes;
    private final long started = System.currentTimeMillis();
    private volatile long copyStarted;
    private volatile long copyEnded;
    private volatile long applyStarted;
    private volatile long criticalStarted;
    private volatile long criticalEnded;

    private final ReshardingCoordinator coordinator;

    ReshardingRun(ConfigContext config, ConfigCatalog catalog, BsonDocument op, ChunkMap oldMap, ChunkMap newMap,
                  long approxDocuments, long approxBytes, ReshardingCoordinator coordinator) {
        this.config = config;
        this.coordinator = coordinator;
        this.catalog = catalog;
        this.op = op;
        this.ns = op.getString("ns").getValue();
        this.db = ns.substring(0, ns.indexOf('.'));
        String tempNs = op.getString("tempNs").getValue();
        this.tempColl = tempNs.substring(db.length() + 1);
        this.oldMap = oldMap;
        this.newMap = newMap;
        this.newKey = newMap.keyPattern();
        this.donors = ReshardingParticipants.names(op, "donorShards");
        this.recipients = ReshardingParticipants.names(op, "recipientShards");
        this.approxDocuments = approxDocuments;
        this.approxBytes = approxBytes;
        this.state = op.getString("state").getValue();
    }

    BsonBinary uuid() {
        return op.getBinary("_id");
    }

    BsonDocument key() {
        return op.getDocument("reshardingKey");
    }

    @Override
    public void run() {
        try {
            copyStarted = System.currentTimeMillis();
            setState("cloning");
            for (String donor : donors) {
                ReshardingParticipants.capture(config, catalog, donor, ns, "start");
            }
            copy();
            copyEnded = applyStarted = System.currentTimeMillis();
            setState("applying");
            for (int round = 0; round < MAX_ROUNDS && catchUp() > SMALL_ROUND; round++) {
                checkAbort();
            }
            checkAbort();
            setState("blocking-writes");
            criticalStarted = System.currentTimeMillis();
            for (String donor : donors) {
                ReshardingParticipants.criticalSection(config, catalog, donor, ns, true);
            }
            catchUp();
            checkAbort();
            decide();
        } catch (RuntimeException e) {
            undo(e);
            return;
        }
        try {
            if (PAUSE_AFTER_DECISION_MILLIS > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(PAUSE_AFTER_DECISION_MILLIS));
            }
            ReshardingParticipants.commit(config, catalog, op);
            criticalEnded = System.currentTimeMillis();
            state = "done";
            ReshardingCoordinator.end(catalog, op, "resharding.commit", new BsonDocument("documentsCopied",
                new BsonInt64(copied.get())).append("criticalSectionMillis", new BsonInt64(criticalEnded - criticalStarted))
                .append("totalMillis", new BsonInt64(criticalEnded - started)));
            log.info("resharded {} to {}: {} documents copied, writes held {} ms, {} ms in all", ns, key().toJson(), copied.get(),
                criticalEnded - criticalStarted, criticalEnded - started);
            outcome.complete(new BsonDocument("ok", new org.bson.BsonDouble(1)));
        } catch (RuntimeException e) {
            // Decided: finished in the background from config.reshardingOperations (here, or by the next config primary).
            log.warn("committing the resharding of {} failed ({}); the config primary completes it", ns, e.toString());
            coordinator.retryInBackground(catalog, op);
            outcome.completeExceptionally(e);
        }
    }

    private void setState(String next) {
        state = next;
        op.put("state", new BsonString(next));
        catalog.saveReshardingOperation(op);
    }

    private void checkAbort() {
        if (abortRequested) {
            throw Errors.of(ErrorCode.ReshardCollectionAborted, "reshardCollection of " + ns + " was aborted by abortReshardCollection");
        }
    }

    /** The decision: the new collection entry and chunks, persisted before any shard switches to them. */
    private void decide() {
        op.put("newCollection", op.getDocument("plannedCollection"));
        op.put("newChunks", op.getArray("plannedChunks"));
        setState("committing");
    }

    /** Before the decision: nothing may stay behind (unless this member is no longer primary: the next one undoes it). */
    private void undo(RuntimeException failure) {
        RuntimeException cause = shortened(failure);
        boolean requested = abortRequested;
        try {
            if (config.writablePrimary()) {
                BsonDocument persisted = catalog.reshardingOperation(op.get("_id"));
                if (persisted != null && "committing".equals(persisted.getString("state").getValue())) {
                    // The decision was written although its write reported an error: finish instead.
                    op.putAll(persisted);
                    ReshardingParticipants.commit(config, catalog, op);
                    ReshardingCoordinator.end(catalog, op, "resharding.commit", new BsonDocument());
                    state = "done";
                    outcome.complete(new BsonDocument("ok", new org.bson.BsonDouble(1)));
                    return;
                }
                state = "aborting";
                ReshardingParticipants.abort(config, catalog, op);
                ReshardingCoordinator.end(catalog, op, "resharding.abort", new BsonDocument("reason",
                    new BsonString(String.valueOf(cause.getMessage()))));
            }
        } catch (RuntimeException e) {
            log.warn("cleaning up the aborted resharding of {} failed ({}); the config primary retries it", ns, e.toString());
            coordinator.retryInBackground(catalog, op);
        } finally {
            state = "aborted";
        }
        log.info("resharding of {} aborted: {}", ns, cause.toString());
        outcome.completeExceptionally(requested ? Errors.of(ErrorCode.ReshardCollectionAborted,
            "reshardCollection of " + ns + " was aborted by abortReshardCollection") : cause);
    }

    /** A shard's error with its message cut to a readable length (a bulk write's lists every failed statement). */
    private static RuntimeException shortened(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        if (message.length() <= 600) {
            return e;
        }
        int code = e instanceof com.mongodb.MongoServerException m ? m.getCode()
            : e instanceof de.bwaldvogel.mongo.exception.MongoServerError m ? m.getCode() : ErrorCode.OperationFailed.code();
        return new de.bwaldvogel.mongo.exception.MongoServerError(code, ErrorCode.nameOf(code), message.substring(0, 600) + "...");
    }

    private MongoCollection<RawBsonDocument> donorCollection(String donor) {
        return config.shard(catalog, donor).getDatabase(db).getCollection(ns.substring(db.length() + 1), RawBsonDocument.class);
    }

    private MongoCollection<BsonDocument> temp(String recipient) {
        return config.shard(catalog, recipient).getDatabase(db).getCollection(tempColl, BsonDocument.class);
    }

    private boolean ownedBy(String donor, BsonDocument doc) {
        return oldMap.chunkFor(ReshardingLayout.keyOf(oldMap.keyPattern(), doc)).shard().equals(donor);
    }

    private String recipientOf(BsonDocument doc) {
        return newMap.chunkFor(ReshardingLayout.keyOf(newKey, doc)).shard();
    }

    /** Copies what each donor owns to its recipient, in batches, as the donors return it. */
    private void copy() {
        for (String donor : donors) {
            Map<String, List<WriteModel<BsonDocument>>> batches = new HashMap<>();
            for (RawBsonDocument doc : donorCollection(donor).find().batchSize(1000)) {
                if (!ownedBy(donor, doc)) {
                    continue; // an orphan: its owner copies it
                }
                String to = recipientOf(doc);
                List<WriteModel<BsonDocument>> batch = batches.computeIfAbsent(to, k -> new ArrayList<>());
                batch.add(new ReplaceOneModel<>(Filters.eq("_id", doc.get("_id")), doc, new ReplaceOptions().upsert(true)));
                bytesCopied.addAndGet(doc.getByteBuffer().remaining());
                if (batch.size() >= BATCH) {
                    write(to, batch);
                    checkAbort();
                }
            }
            batches.forEach(this::write);
        }
    }

    private void write(String recipient, List<WriteModel<BsonDocument>> batch) {
        if (!batch.isEmpty()) {
            temp(recipient).bulkWrite(batch, new BulkWriteOptions().ordered(false));
            copied.addAndGet(batch.size());
            batch.clear();
        }
    }

    /**
     * One round of catching up: each document a donor changed since its last drain is written to its recipient as it is
     * now (and removed from the other recipients, in case its new-key value moved it), or removed everywhere when it is
     * gone. Returns the number of changes.
     */
    private int catchUp() {
        int total = 0;
        Map<String, List<WriteModel<BsonDocument>>> writes = new LinkedHashMap<>();
        Map<String, List<BsonValue>> removals = new LinkedHashMap<>();
        recipients.forEach(r -> {
            writes.put(r, new ArrayList<>());
            removals.put(r, new ArrayList<>());
        });
        for (String donor : donors) {
            BsonDocument reply = config.shard(catalog, donor).getDatabase("admin").runCommand(new BsonDocument("_shardsvrMigrationCapture",
                new BsonString(ns)).append("action", new BsonString("drain")), BsonDocument.class);
            BsonArray changes = reply.getArray("changes");
            total += changes.size();
            for (BsonValue v : changes) {
                BsonDocument change = v.asDocument();
                BsonValue id = change.get("_id");
                if (change.isDocument("doc")) {
                    BsonDocument doc = change.getDocument("doc");
                    if (!ownedBy(donor, doc)) {
                        continue;
                    }
                    String to = recipientOf(doc);
                    writes.get(to).add(new ReplaceOneModel<>(Filters.eq("_id", id), doc, new ReplaceOptions().upsert(true)));
                    recipients.stream().filter(r -> !r.equals(to)).forEach(r -> removals.get(r).add(id));
                } else {
                    recipients.forEach(r -> removals.get(r).add(id));
                }
            }
        }
        for (String r : recipients) {
            List<BsonValue> ids = removals.get(r);
            for (int i = 0; i < ids.size(); i += BATCH) {
                writes.get(r).add(new DeleteManyModel<>(Filters.in("_id", ids.subList(i, Math.min(ids.size(), i + BATCH)))));
            }
            List<WriteModel<BsonDocument>> all = writes.get(r);
            for (int i = 0; i < all.size(); i += BATCH) {
                temp(r).bulkWrite(all.subList(i, Math.min(all.size(), i + BATCH)), new BulkWriteOptions().ordered(true));
            }
        }
        changesApplied.addAndGet(total);
        return total;
    }

    /** The $currentOp entry of this operation (MongoDB's coordinator fields). */
    Document currentOp() {
        long now = System.currentTimeMillis();
        long copiedNow = copied.get();
        Document doc = new Document("type", "op").append("desc", "ReshardingCoordinator").append("op", "command")
            .append("ns", ns)
            .append("originatingCommand", new Document("reshardCollection", ns).append("key", io.shardstore.config.catalog.Bridge.fromBson(key()))
                .append("unique", false))
            .append("reshardingUUID", uuid().asUuid().toString())
            .append("provenance", "reshardCollection")
            .append("coordinatorState", state)
            .append("donorShards", donors).append("recipientShards", recipients)
            .append("totalOperationTimeElapsedSecs", (now - started) / 1000)
            .append("approxDocumentsToCopy", approxDocuments).append("documentsCopied", copiedNow)
            .append("approxBytesToCopy", approxBytes).append("bytesCopied", bytesCopied.get())
            .append("oplogEntriesFetched", changesApplied.get()).append("oplogEntriesApplied", changesApplied.get())
            .append("totalCopyTimeElapsedSecs", copyStarted == 0 ? 0 : ((copyEnded == 0 ? now : copyEnded) - copyStarted) / 1000)
            .append("totalApplyTimeElapsedSecs", applyStarted == 0 ? 0 : ((criticalEnded == 0 ? now : criticalEnded) - applyStarted) / 1000)
            .append("totalCriticalSectionTimeElapsedSecs", criticalStarted == 0 ? 0 : ((criticalEnded == 0 ? now : criticalEnded) - criticalStarted) / 1000);
        long elapsedCopy = copyStarted == 0 ? 0 : now - copyStarted;
        long estimate = copiedNow == 0 || copyEnded != 0 ? (copyEnded != 0 ? 0 : -1)
            : Math.max(0, (approxDocuments - copiedNow) * elapsedCopy / copiedNow / 1000);
        doc.append("remainingOperationTimeEstimatedSecs", estimate);
        doc.append("startTime", java.time.Instant.ofEpochMilli(started).toString());
        return doc;
    }
}
