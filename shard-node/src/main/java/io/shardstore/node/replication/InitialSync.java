package io.shardstore.node.replication;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import io.shardstore.node.storage.StorageEngine;

/**
 * Initial sync of a member whose oplog is empty (new, or added by replSetReconfig to a set that holds data; such a
 * member takes its first config in STARTUP2, unless it initiated the set), in STARTUP2: notes the source's newest oplog entry (the clone's start), drops its own databases, clones every
 * database and collection of the source with its options and indexes, takes the start entry as its own last one and
 * applies the source's oplog from there until it reaches the source's newest entry at the clone's end; then SECONDARY.
 * The retryable writes recorded in the source's oplog before the clone's start are taken over too.
 * Entries applied twice are harmless (they are idempotent). Runs on the puller thread; writes on the storage thread,
 * with the oplog writer suspended (a clone is not logged).
 */
final class InitialSync {
    private static final Logger log = LoggerFactory.getLogger(InitialSync.class);
    private static final Document ANY_MEMBER = new Document("mode", "primaryPreferred");
    private static final int BATCH = 1000;

    private InitialSync() {
    }

    /** @return whether the member is a secondary now (false: the source has no oplog yet, or the sync must be retried) */
    static boolean run(ReplicationCoordinator coordinator, PeerClient source) throws IOException, InterruptedException,
        ExecutionException {
        Document begin = newestEntry(source);
        if (begin == null) {
            return false; // the source has not written its first entry yet
        }
        String info = "initial sync from " + source.host();
        if (!coordinator.transition(MemberState.STARTUP2, MemberState.STARTUP2, info)
            && !coordinator.transition(MemberState.SECONDARY, MemberState.STARTUP2, info)) {
            return false;
        }
        boolean done = false;
        try {
            log.info("initial sync from {}: cloning, then the oplog from {}", source.host(), OpTime.ofEntry(begin));
            onStorage(coordinator, () -> dropAll(coordinator.storage()));
            long documents = 0;
            for (String db : names(source.run("admin", new Document("listDatabases", 1).append("nameOnly", true)), "databases")) {
                if (!db.equals("local")) {
                    documents += cloneDatabase(coordinator, source, db);
                }
            }
            copyRetryableWrites(coordinator, source, OplogStore.tsOf(begin));
            Document minValid = newestEntry(source);
            onStorage(coordinator, () -> {
                coordinator.oplog().append(begin);
                coordinator.writer().advanceTo(OplogStore.tsOf(begin));
            });
            OpTime target = OpTime.ofEntry(minValid);
            while (!coordinator.lastApplied().atLeast(target)) {
                if (!catchUp(coordinator, source)) {
                    throw new IOException("the source's oplog no longer holds " + coordinator.lastApplied());
                }
            }
            log.info("initial sync from {} done: {} documents cloned, oplog applied to {}", source.host(), documents, target);
            done = true;
            coordinator.transition(MemberState.STARTUP2, MemberState.SECONDARY, "");
            return true;
        } finally {
            if (!done) {
                // Start again from nothing next time: an empty oplog means "needs an initial sync".
                onStorage(coordinator, () -> coordinator.oplog().truncateAfter(0));
            }
        }
    }

    /**
     * The retryable writes the source's oplog records up to the clone's start (its "n" entries): the clone has their
     * effects, and this member must know them too, or a retry on it as a later primary would apply one twice.
     */
    private static void copyRetryableWrites(ReplicationCoordinator coordinator, PeerClient source, long upTo) throws IOException {
        Document ts = new Document("$gte", new BsonTimestamp(0));
        while (true) {
            List<Document> entries = batch(source.run("local", new Document("find", "oplog.rs").append("filter",
                new Document("ts", ts)).append("batchSize", BATCH)), "firstBatch");
            if (entries.isEmpty()) {
                return;
            }
            for (Document e : entries) {
                if (Long.compareUnsigned(OplogStore.tsOf(e), upTo) > 0) {
                    return;
                }
                if ("n".equals(e.get("op")) && e.get("o") instanceof Document o) {
                    coordinator.retryable().applied(o);
                }
            }
            ts = new Document("$gt", new BsonTimestamp(OplogStore.tsOf(entries.get(entries.size() - 1))));
        }
    }

    private static Document newestEntry(PeerClient source) throws IOException {
        List<Document> newest = batch(source.run("local", new Document("find", "oplog.rs")
            .append("sort", new Document("$natural", -1)).append("limit", 1)), "firstBatch");
        return newest.isEmpty() ? null : newest.get(0);
    }

    /** One batch of entries after this member's last one, applied; false if the source no longer has that one. */
    private static boolean catchUp(ReplicationCoordinator coordinator, PeerClient source) throws IOException,
        InterruptedException, ExecutionException {
        OpTime last = coordinator.lastApplied();
        List<Document> fetched = batch(source.run("local", new Document("find", "oplog.rs").append("filter",
            new Document("ts", new Document("$gte", new BsonTimestamp(last.ts())))).append("batchSize", BATCH)), "firstBatch");
        if (fetched.isEmpty() || !OpTime.ofEntry(fetched.get(0)).equals(last)) {
            return false;
        }
        List<Document> rest = new ArrayList<>(fetched.subList(1, fetched.size()));
        coordinator.storage().submit(() -> OplogApplier.apply(coordinator, rest)).get();
        return true;
    }

    private static long cloneDatabase(ReplicationCoordinator coordinator, PeerClient source, String db) throws IOException,
        InterruptedException, ExecutionException {
        long count = 0;
        List<Document> collections = batch(source.run(db, new Document("listCollections", 1)
            .append("$readPreference", ANY_MEMBER)), "firstBatch");
        for (Document info : collections) {
            String name = (String) info.get("name");
            if (name.startsWith("system.")) {
                continue;
            }
            if ("view".equals(info.get("type"))) {
                Document view = new Document("create", name);
                view.putAll((Document) info.get("options")); // viewOn and pipeline; a view has no data to copy
                onStorage(coordinator, () -> run(coordinator.storage(), db, view));
                continue;
            }
            Document create = new Document("create", name);
            if (info.get("options") instanceof Document options) {
                create.putAll(options);
            }
            List<Document> indexes = new ArrayList<>();
            for (Document index : batch(source.run(db, new Document("listIndexes", name).append("$readPreference", ANY_MEMBER)),
                "firstBatch")) {
                if (!"_id_".equals(index.get("name"))) {
                    Document spec = new Document(index);
                    spec.remove("v");
                    spec.remove("ns");
                    indexes.add(spec);
                }
            }
            onStorage(coordinator, () -> {
                run(coordinator.storage(), db, create);
                if (!indexes.isEmpty()) {
                    run(coordinator.storage(), db, new Document("createIndexes", name).append("indexes", indexes));
                }
            });
            Document reply = source.run(db, new Document("find", name).append("batchSize", BATCH).append("$readPreference", ANY_MEMBER));
            while (true) {
                Document cursor = (Document) reply.get("cursor");
                if (cursor == null) {
                    throw new IOException("cloning " + db + "." + name + " failed: " + reply.get("errmsg"));
                }
                List<Document> docs = batch(reply, cursor.containsKey("firstBatch") ? "firstBatch" : "nextBatch");
                if (!docs.isEmpty()) {
                    count += docs.size();
                    onStorage(coordinator, () -> run(coordinator.storage(), db,
                        new Document("insert", name).append("documents", docs).append("ordered", false)));
                }
                long id = ((Number) cursor.get("id")).longValue();
                if (id == 0) {
                    break;
                }
                reply = source.run(db, new Document("getMore", id).append("collection", name).append("batchSize", BATCH));
            }
        }
        return count;
    }

    private static void dropAll(StorageEngine storage) {
        Document dbs = storage.runAsSystem("admin", "listDatabases", new Document("listDatabases", 1));
        for (String db : names(dbs, "databases")) {
            if (!db.equals("local")) {
                run(storage, db, new Document("dropDatabase", 1));
            }
        }
    }

    private static void run(StorageEngine storage, String db, Document command) {
        try {
            storage.runAsSystem(db, command.keySet().iterator().next(), command);
        } catch (MongoServerException e) {
            log.debug("initial sync: {} on {}: {}", command, db, e.getMessage());
        }
        String name = command.keySet().iterator().next();
        if (!name.equals("insert")) {
            storage.record(io.shardstore.node.storage.JournalRecords.command(db, command));
        }
    }

    /** Runs catalog and data changes of the clone on the storage thread, with the oplog writer suspended. */
    private static void onStorage(ReplicationCoordinator coordinator, Runnable work) throws InterruptedException, ExecutionException {
        coordinator.storage().submit(() -> {
            coordinator.writer().suspend(true);
            try {
                work.run();
            } finally {
                coordinator.writer().suspend(false);
            }
            return null;
        }).get();
    }

    private static List<String> names(Document reply, String key) {
        List<String> out = new ArrayList<>();
        if (reply.get(key) instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Document d && d.get("name") instanceof String name) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    private static List<Document> batch(Document reply, String key) throws IOException {
        if (!(reply.get("cursor") instanceof Document cursor) || !(cursor.get(key) instanceof List<?> list)) {
            throw new IOException("unexpected reply: " + reply);
        }
        List<Document> out = new ArrayList<>();
        for (Object o : list) {
            out.add((Document) o);
        }
        return out;
    }
}
