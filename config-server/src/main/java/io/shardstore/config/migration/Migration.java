package io.shardstore.config.migration;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;

import io.shardstore.sharding.Chunk;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * Moves the documents of one chunk from a source shard to a destination shard, the way MongoDB's
 * migrations do: start capturing changes on the source, clone the chunk, catch up on the captured
 * changes, enter the source's critical section (writes wait), catch up a last time, commit (done by the
 * caller, which then exits the critical section), and finally delete the moved range from the source.
 */
public final class Migration {
    private static final Logger log = LoggerFactory.getLogger(Migration.class);
    private static final int BATCH = 1000;

    private final String ns;
    private final String db;
    private final String coll;
    private final ShardKeyPattern key;
    private final Chunk chunk;
    private final MongoClient source;
    private final MongoClient destination;

    public Migration(String ns, ShardKeyPattern key, Chunk chunk, MongoClient source, MongoClient destination) {
        this.ns = ns;
        this.db = ns.substring(0, ns.indexOf('.'));
        this.coll = ns.substring(ns.indexOf('.') + 1);
        this.key = key;
        this.chunk = chunk;
        this.source = source;
        this.destination = destination;
    }

    private MongoCollection<BsonDocument> sourceColl() {
        return source.getDatabase(db).getCollection(coll, BsonDocument.class);
    }

    private MongoCollection<BsonDocument> destColl() {
        return destination.getDatabase(db).getCollection(coll, BsonDocument.class);
    }

    private void sourceCommand(BsonDocument cmd) {
        source.getDatabase("admin").runCommand(cmd);
    }

    /** Clone and catch up, then hold the source's critical section; returns the number of documents cloned. */
    public long cloneAndEnterCriticalSection() {
        copyIndexes();
        sourceCommand(new BsonDocument("_shardsvrMigrationCapture", new BsonString(ns)).append("action", new BsonString("start")));
        long cloned = 0;
        List<WriteModel<BsonDocument>> batch = new ArrayList<>();
        for (BsonDocument doc : sourceColl().find()) {
            if (inChunk(doc)) {
                batch.add(new ReplaceOneModel<>(Filters.eq("_id", doc.get("_id")), doc, new ReplaceOptions().upsert(true)));
                cloned++;
                if (batch.size() == BATCH) {
                    destColl().bulkWrite(batch);
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            destColl().bulkWrite(batch);
        }
        for (int round = 0; round < 5 && catchUp() > 10; round++) {
            log.debug("migration of {} {}: catch-up round {}", ns, chunk, round);
        }
        sourceCommand(new BsonDocument("_shardsvrCriticalSection", new BsonString(ns)).append("enter", BsonBoolean.TRUE));
        catchUp();
        return cloned;
    }

    /** Applies the source's changes since the last drain to the destination; returns how many there were. */
    private int catchUp() {
        BsonDocument reply = source.getDatabase("admin").runCommand(
            new BsonDocument("_shardsvrMigrationCapture", new BsonString(ns)).append("action", new BsonString("drain")), BsonDocument.class);
        BsonArray changes = reply.getArray("changes");
        for (BsonValue v : changes) {
            BsonDocument change = v.asDocument();
            if (change.containsKey("doc") && inChunk(change.getDocument("doc"))) {
                destColl().replaceOne(Filters.eq("_id", change.get("_id")), change.getDocument("doc"), new ReplaceOptions().upsert(true));
            } else if (change.getBoolean("deleted", BsonBoolean.FALSE).getValue()) {
                destColl().deleteOne(Filters.eq("_id", change.get("_id")));
            }
        }
        return changes.size();
    }

    /** Ends the critical section (after the commit) and stops capturing. */
    public void exitCriticalSection() {
        sourceCommand(new BsonDocument("_shardsvrCriticalSection", new BsonString(ns)).append("enter", BsonBoolean.FALSE));
        sourceCommand(new BsonDocument("_shardsvrMigrationCapture", new BsonString(ns)).append("action", new BsonString("stop")));
    }

    /** Undoes a migration that failed before its commit: the destination's copies go, the source serves on. */
    public void abort() {
        try {
            exitCriticalSection();
        } finally {
            deleteRange(destColl());
        }
    }

    /** Deletes the moved chunk's documents from the source (they are orphans after the commit). */
    public long cleanUpSource() {
        return deleteRange(sourceColl());
    }

    private long deleteRange(MongoCollection<BsonDocument> from) {
        List<BsonValue> ids = new ArrayList<>();
        for (BsonDocument doc : from.find()) {
            if (inChunk(doc)) {
                ids.add(doc.get("_id"));
            }
        }
        for (int i = 0; i < ids.size(); i += BATCH) {
            from.deleteMany(Filters.in("_id", ids.subList(i, Math.min(ids.size(), i + BATCH))));
        }
        return ids.size();
    }

    private void copyIndexes() {
        copyIndexes(sourceColl(), destination, db, coll);
    }

    /** The source collection's indexes (but _id's) on the destination, or the collection itself when it has none. */
    static void copyIndexes(MongoCollection<BsonDocument> source, MongoClient destination, String db, String coll) {
        List<BsonDocument> specs = new ArrayList<>();
        for (BsonDocument index : source.listIndexes(BsonDocument.class)) {
            if (!index.getString("name").getValue().equals("_id_")) {
                BsonDocument spec = index.clone();
                spec.remove("v");
                spec.remove("ns");
                specs.add(spec);
            }
        }
        if (specs.isEmpty()) {
            try {
                destination.getDatabase(db).runCommand(new BsonDocument("create", new BsonString(coll)));
            } catch (com.mongodb.MongoCommandException e) {
                if (e.getErrorCode() != 48) { // NamespaceExists: an earlier migration brought it
                    throw e;
                }
            }
        } else {
            destination.getDatabase(db).runCommand(new BsonDocument("createIndexes", new BsonString(coll))
                .append("indexes", new BsonArray(specs)));
        }
    }

    /** Whether {@code doc} belongs to {@code chunk} (it has every field of the key, and its key falls in the chunk). */
    static boolean inChunk(ShardKeyPattern key, Chunk chunk, BsonDocument doc) {
        return key.firstMissingField(doc) == null && chunk.contains(key.keyOf(doc));
    }

    private boolean inChunk(BsonDocument doc) {
        return inChunk(key, chunk, doc);
    }

    public static BsonDocument changelog(String ns, Chunk chunk, String from, String to, long cloned, String note) {
        return new BsonDocument("_id", new BsonString(java.util.UUID.randomUUID().toString()))
            .append("what", new BsonString("moveChunk.from"))
            .append("ns", new BsonString(ns))
            .append("time", new BsonDateTime(System.currentTimeMillis()))
            .append("details", new BsonDocument("min", chunk.min()).append("max", chunk.max())
                .append("from", new BsonString(from)).append("to", new BsonString(to))
                .append("cloned", new org.bson.BsonInt64(cloned)).append("note", new BsonString(note)));
    }
}
