package io.shardstore.config.migration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

import io.shardstore.sharding.Chunk;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * A chunk migration where the donor or the recipient is a plain shard (a real mongod, or our node with --plain), driven
 * by the config server through the driver alone (issue 11, decision 0014). The shards are only read and written as any
 * client would; correctness comes from the routers, fenced through {@code config.plainFences} (the routers' side is
 * the router's PlainFences):
 * <ol>
 * <li><b>cloning</b>: every router acknowledges that it filters the collection's reads on plain shards by ownership
 * before the first copy lands on the recipient;</li>
 * <li>the donor's newest oplog entry is noted, then its documents in the chunk are copied;</li>
 * <li>catch-up: the donor's oplog since then says which {@code _id}s changed (any entry format: the document is read
 * again from the donor and written as it is now, or deleted); rounds repeat until one is small;</li>
 * <li><b>critical</b>: every router acknowledges that it holds new writes to the collection and has had every write it
 * sent answered (or its lease ran out); a last catch-up;</li>
 * <li>commit in the catalog; <b>released</b>: every router has read the new routing (held writes go on with it);</li>
 * <li>the moved documents are deleted from the donor, and the fence goes.</li>
 * </ol>
 * A standalone donor has no oplog: the critical section then covers the whole copy (writes to the collection wait for
 * it). A failure before the commit deletes the recipient's copies and lifts the fence.
 */
public final class PlainMigration {
    private static final Logger log = LoggerFactory.getLogger(PlainMigration.class);
    public static final String FENCES = "plainFences";
    public static final String LEASES = "routerLeases";
    public static final String COUNTER = "__seq";
    /** The routers' lease (PlainFences.LEASE_MILLIS) and a margin for clocks and a slow renewal. */
    static final long LEASE_MILLIS = 3_000;
    static final long MARGIN_MILLIS = 2_000;
    private static final int BATCH = 1000;
    private static final int OPLOG_BATCH = 1000;

    private final String ns;
    private final String db;
    private final String coll;
    private final ShardKeyPattern key;
    private final Chunk chunk;
    private final String to;
    private final MongoClient donor;
    private final MongoClient recipient;
    private final com.mongodb.client.MongoDatabase config;
    /** The ids of the chunk's documents on the donor, as far as copied: what the recipient holds, and later deletes. */
    private final Set<BsonValue> moved = new HashSet<>();
    private BsonTimestamp oplogPosition;
    private boolean critical;

    public PlainMigration(String ns, ShardKeyPattern key, Chunk chunk, String to, MongoClient donor, MongoClient recipient,
                          com.mongodb.client.MongoDatabase config) {
        this.ns = ns;
        this.db = ns.substring(0, ns.indexOf('.'));
        this.coll = ns.substring(ns.indexOf('.') + 1);
        this.key = key;
        this.chunk = chunk;
        this.to = to;
        this.donor = donor;
        this.recipient = recipient;
        this.config = config;
    }

    /** Steps 1-4: fence, copy, catch up, critical section and a last catch-up. Returns the documents copied. */
    public long cloneAndEnterCriticalSection() {
        fence("cloning");
        boolean replicaSet = donor.getDatabase("admin").runCommand(new BsonDocument("hello", new BsonInt32(1)), BsonDocument.class)
            .isString("setName");
        if (!replicaSet) {
            log.info("migration of {} {}: the donor is a standalone (no oplog): writes to {} wait for the whole copy", ns, chunk, ns);
            fence("critical");
            critical = true;
        } else {
            oplogPosition = newestOplogEntry();
        }
        copyIndexes();
        long copyStart = System.nanoTime();
        long copied = 0;
        List<WriteModel<BsonDocument>> batch = new ArrayList<>();
        MongoCollection<BsonDocument> source = donorColl();
        for (BsonDocument doc : source.find()) {
            if (inChunk(doc)) {
                batch.add(new ReplaceOneModel<>(Filters.eq("_id", doc.get("_id")), doc, new ReplaceOptions().upsert(true)));
                moved.add(doc.get("_id"));
                copied++;
                if (batch.size() == BATCH) {
                    recipientColl().bulkWrite(batch);
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            recipientColl().bulkWrite(batch);
        }
        log.info("migration of {} {} to {}: {} documents copied in {} ms", ns, chunk, to, copied, (System.nanoTime() - copyStart) / 1_000_000);
        if (!critical) {
            for (int round = 0; round < 10; round++) {
                long t0 = System.nanoTime();
                int changes = catchUp();
                log.debug("migration of {} {}: catch-up round {}, {} changes in {} ms", ns, chunk, round, changes,
                    (System.nanoTime() - t0) / 1_000_000);
                if (changes <= 50) {
                    break;
                }
            }
            fence("critical");
            critical = true;
            catchUp();
        }
        return copied;
    }

    /** Step 5, after the caller's commit: every router reads the new routing. */
    public void release() {
        fence("released");
    }

    /** Step 6: the moved documents leave the donor, and the fence goes. */
    public long cleanUpDonor() {
        List<BsonValue> ids = new ArrayList<>(moved);
        for (int i = 0; i < ids.size(); i += BATCH) {
            donorColl().deleteMany(Filters.in("_id", ids.subList(i, Math.min(ids.size(), i + BATCH))));
        }
        config.getCollection(FENCES, BsonDocument.class).deleteOne(Filters.eq("_id", ns));
        return ids.size();
    }

    /** A failure before the commit: the recipient's copies go, and the routers go on as before. */
    public void abort() {
        try {
            List<BsonValue> ids = new ArrayList<>(moved);
            for (int i = 0; i < ids.size(); i += BATCH) {
                recipientColl().deleteMany(Filters.in("_id", ids.subList(i, Math.min(ids.size(), i + BATCH))));
            }
        } finally {
            config.getCollection(FENCES, BsonDocument.class).deleteOne(Filters.eq("_id", ns));
        }
    }

    /**
     * Writes the collection's fence in {@code phase} with the next seq, then waits until every router whose lease is
     * current has acknowledged that seq (routers whose lease ran out can no longer send anything to plain shards).
     */
    private void fence(String phase) {
        MongoCollection<BsonDocument> fences = config.getCollection(FENCES, BsonDocument.class);
        long seq = fences.findOneAndUpdate(Filters.eq("_id", COUNTER), Updates.inc("seq", 1L),
            new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER)).getNumber("seq").longValue();
        fences.replaceOne(Filters.eq("_id", ns), new BsonDocument("_id", new BsonString(ns)).append("seq", new BsonInt64(seq))
            .append("phase", new BsonString(phase)).append("min", chunk.min()).append("max", chunk.max())
            .append("from", new BsonString(chunk.shard())).append("to", new BsonString(to)), new ReplaceOptions().upsert(true));
        awaitAcknowledged(seq, phase);
    }

    private void awaitAcknowledged(long seq, String phase) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            BsonDocument now = config.runCommand(new BsonDocument("isMaster", new BsonInt32(1)), BsonDocument.class);
            long nowMillis = now.isDateTime("localTime") ? now.getDateTime("localTime").getValue() : System.currentTimeMillis();
            List<String> pending = new ArrayList<>();
            for (BsonDocument lease : config.getCollection(LEASES, BsonDocument.class).find()) {
                boolean current = lease.isDateTime("renewedAt")
                    && nowMillis - lease.getDateTime("renewedAt").getValue() <= LEASE_MILLIS + MARGIN_MILLIS;
                if (current && lease.getNumber("ackSeq", new BsonInt64(-1)).longValue() < seq) {
                    pending.add(lease.getString("_id").getValue());
                }
            }
            if (pending.isEmpty()) {
                log.debug("migration of {} {}: {} acknowledged by every router (seq {})", ns, chunk, phase, seq);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("routers " + pending + " did not acknowledge the " + phase + " fence of " + ns
                    + " within 30 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private BsonTimestamp newestOplogEntry() {
        BsonDocument newest = donor.getDatabase("local").getCollection("oplog.rs", BsonDocument.class)
            .find().sort(Sorts.descending("$natural")).limit(1).first();
        return newest == null ? new BsonTimestamp(0, 0) : newest.getTimestamp("ts");
    }

    /**
     * Applies the donor's changes since the last position: each {@code _id} its oplog names for the collection is read
     * again from the donor's primary, then written to the recipient when it is in the chunk, else deleted there.
     * Returns how many ids changed. (Local reads: a write acknowledged with w: 1 and later rolled back on the donor may
     * have been copied; the drivers' default, w: "majority", is never rolled back.)
     */
    private int catchUp() {
        if (oplogPosition == null) {
            return 0;
        }
        Set<BsonValue> changed = new java.util.LinkedHashSet<>();
        MongoCollection<BsonDocument> oplog = donor.getDatabase("local").getCollection("oplog.rs", BsonDocument.class);
        while (true) {
            // ts and ns: a mongod filters on both; a node that filters on ts only returns more, sorted out below.
            BsonDocument filter = new BsonDocument("ts", new BsonDocument("$gt", oplogPosition)).append("ns", new BsonString(ns));
            List<BsonDocument> entries = oplog.find(filter).sort(Sorts.ascending("$natural")).limit(OPLOG_BATCH).into(new ArrayList<>());
            if (entries.isEmpty()) {
                break;
            }
            for (BsonDocument e : entries) {
                collect(e, changed);
                oplogPosition = e.getTimestamp("ts");
            }
            if (entries.size() < OPLOG_BATCH) {
                break;
            }
        }
        List<BsonValue> ids = new ArrayList<>(changed);
        for (int i = 0; i < ids.size(); i += BATCH) {
            // A batch of changed ids: read again in one query, written in one bulk write.
            List<BsonValue> some = ids.subList(i, Math.min(ids.size(), i + BATCH));
            java.util.Map<BsonValue, BsonDocument> now = new java.util.HashMap<>();
            for (BsonDocument doc : donorColl().find(Filters.in("_id", some))) {
                now.put(doc.get("_id"), doc);
            }
            List<WriteModel<BsonDocument>> writes = new ArrayList<>();
            for (BsonValue id : some) {
                BsonDocument doc = now.get(id);
                if (doc != null && inChunk(doc)) {
                    writes.add(new ReplaceOneModel<>(Filters.eq("_id", id), doc, new ReplaceOptions().upsert(true)));
                    moved.add(id);
                } else if (moved.remove(id)) {
                    writes.add(new com.mongodb.client.model.DeleteOneModel<>(Filters.eq("_id", id)));
                }
            }
            if (!writes.isEmpty()) {
                recipientColl().bulkWrite(writes);
            }
        }
        return changed.size();
    }

    /** The ids an oplog entry changed in the collection (a transaction's applyOps entries included). */
    private void collect(BsonDocument entry, Set<BsonValue> changed) {
        String op = entry.getString("op", new BsonString("")).getValue();
        String entryNs = entry.getString("ns", new BsonString("")).getValue();
        if (op.equals("c") && entry.isDocument("o") && entry.getDocument("o").isArray("applyOps")) {
            for (BsonValue inner : entry.getDocument("o").getArray("applyOps")) {
                if (inner.isDocument()) {
                    collect(inner.asDocument(), changed);
                }
            }
            return;
        }
        if (!entryNs.equals(ns)) {
            return;
        }
        switch (op) {
            case "i", "d" -> {
                if (entry.isDocument("o") && entry.getDocument("o").containsKey("_id")) {
                    changed.add(entry.getDocument("o").get("_id"));
                }
            }
            case "u" -> {
                if (entry.isDocument("o2") && entry.getDocument("o2").containsKey("_id")) {
                    changed.add(entry.getDocument("o2").get("_id"));
                }
            }
            case "c" -> throw new IllegalStateException("the collection " + ns + " changed during its migration: " + entry.get("o"));
            default -> {
                // no-ops
            }
        }
    }

    private void copyIndexes() {
        Migration.copyIndexes(donorColl(), recipient, db, coll);
    }

    private boolean inChunk(BsonDocument doc) {
        return Migration.inChunk(key, chunk, doc);
    }

    private MongoCollection<BsonDocument> donorColl() {
        return donor.getDatabase(db).getCollection(coll, BsonDocument.class);
    }

    private MongoCollection<BsonDocument> recipientColl() {
        return recipient.getDatabase(db).getCollection(coll, BsonDocument.class);
    }
}
