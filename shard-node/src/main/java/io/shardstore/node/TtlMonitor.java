package io.shardstore.node;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.replication.ReplicationCoordinator;
import io.shardstore.node.storage.StorageEngine;

/**
 * mongod's TTL monitor: every {@code ttlMonitorSleepSecs} (60), on a standalone node or a replica set's primary, deletes
 * the documents whose TTL-indexed field holds a date (or an array with a date) older than {@code expireAfterSeconds}.
 * The deletes run on the storage thread like any write, so they are journaled and, on a primary, logged in the oplog:
 * secondaries delete what their primary deleted, never on their own (as in mongod).
 */
final class TtlMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TtlMonitor.class);

    private final StorageEngine storage;
    private final ReplicationCoordinator replication;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ttl-monitor");
        t.setDaemon(true);
        return t;
    });

    TtlMonitor(StorageEngine storage, ReplicationCoordinator replication, int sleepSecs) {
        this.storage = storage;
        this.replication = replication;
        timer.scheduleWithFixedDelay(this::round, sleepSecs, sleepSecs, TimeUnit.SECONDS);
    }

    private void round() {
        try {
            storage.submit(() -> {
                if (replication == null || replication.isWritablePrimary()) {
                    deleteExpired();
                }
                return null;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("TTL monitor round failed: {}", e.toString());
        }
    }

    /** Storage thread. */
    @SuppressWarnings("unchecked")
    private void deleteExpired() {
        Document dbs = storage.runAsSystem("admin", "listDatabases", new Document("listDatabases", 1));
        for (Document dbInfo : (List<Document>) dbs.get("databases")) {
            String db = (String) dbInfo.get("name");
            // config is not skipped: config.sampledQueries and config.sampledQueriesDiff expire, as in mongod.
            if (db.equals("local") || db.equals("admin")) {
                continue;
            }
            Document collections = storage.runAsSystem(db, "listCollections", new Document("listCollections", 1));
            for (Document coll : (List<Document>) ((Document) collections.get("cursor")).get("firstBatch")) {
                String name = (String) coll.get("name");
                Document indexes = storage.runAsSystem(db, "listIndexes", new Document("listIndexes", name));
                for (Document index : (List<Document>) ((Document) indexes.get("cursor")).get("firstBatch")) {
                    if (index.get("expireAfterSeconds") instanceof Number seconds && index.get("key") instanceof Document key
                        && key.size() == 1) {
                        String field = key.keySet().iterator().next();
                        Instant cutoff = Instant.now().minusMillis((long) (seconds.doubleValue() * 1000));
                        // $lt on a date matches dates only (and arrays holding an older one): other values never expire.
                        Document reply = storage.runAsSystem(db, "delete", new Document("delete", name).append("deletes",
                            List.of(new Document("q", new Document(field, new Document("$lt", cutoff))).append("limit", 0))));
                        if (reply.get("n") instanceof Number n && n.longValue() > 0) {
                            log.debug("TTL index {} of {}.{} deleted {} documents", index.get("name"), db, name, n);
                        }
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
