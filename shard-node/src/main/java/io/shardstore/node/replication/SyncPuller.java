package io.shardstore.node.replication;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A secondary's fetcher: its own thread pulls entries after the last applied one from the sync source with a tailable,
 * awaitData find on local.oplog.rs and then getMores that the source holds until it has new entries, hands each batch
 * to the storage thread to apply (honouring secondaryDelaySecs), then reports its position with replSetUpdatePosition. It waits on the network and on the storage thread, never the other way round.
 */
final class SyncPuller implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SyncPuller.class);
    private static final int BATCH = 1000;
    private static final long AWAIT_MILLIS = 500;

    private final ReplicationCoordinator coordinator;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean paused;
    private PeerClient client;
    /** The tailable cursor on the source's oplog, or 0. */
    private long cursorId;
    private String lastSource = "";

    SyncPuller(ReplicationCoordinator coordinator) {
        this.coordinator = coordinator;
        this.thread = new Thread(this, "repl-sync");
        thread.setDaemon(true);
    }

    /** Tests only: stop (or resume) fetching, as if this member were cut off from its source. */
    void pause(boolean value) {
        paused = value;
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
        thread.interrupt();
        if (client != null) {
            client.close();
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                if (!pullOnce()) {
                    pause(10);
                }
            } catch (IOException e) {
                log.debug("sync source failed: {}", e.toString());
                closeClient();
                coordinator.syncingFrom(null);
                pause(100);
            } catch (InterruptedException e) {
                return;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof OplogApplier.OplogDivergedException diverged) {
                    // Our history and the source's differ below our last entry: roll back to the common point.
                    log.warn("{}: rolling back", diverged.getMessage());
                    cursorId = 0;
                    try {
                        if (client != null && !TooStale.check(coordinator, client, coordinator.lastApplied())) {
                            Rollback.run(coordinator, client, coordinator.lastApplied());
                        }
                    } catch (IOException failed) {
                        log.warn("rollback after a divergence failed: {}", failed.toString());
                        closeClient();
                    }
                    continue;
                }
                // Applying a batch failed (an initial sync's catch-up applies batches too).
                stopApplying(e.getCause() instanceof OplogApplyException failed ? failed.getMessage()
                    : "applying a batch failed: " + e.getCause(), e.getCause());
            } catch (RuntimeException e) {
                // Not an entry's failure (an odd reply, say): what the cursor had is read again, never skipped.
                log.warn("oplog fetching failed: {}", e.toString());
                closeClient();
                pause(100);
            }
        }
        closeClient();
    }

    /**
     * An entry could not be applied: replication ends on this member (it is RECOVERING, applies and fetches nothing
     * more), with the entry in the log and in rs.status(). mongod ends its process with a fatal assertion here.
     */
    private void stopApplying(String reason, Throwable failure) {
        closeClient();
        String info = "fatal: oplog application stopped: " + reason
            + "; this member applies nothing more and needs a resync (an empty dbpath)";
        if (coordinator.stopApplying(info)) {
            log.error("{}", info, failure);
        }
    }

    /** @return whether anything was applied */
    private boolean pullOnce() throws IOException, InterruptedException, ExecutionException {
        MemberConfig source = coordinator.syncTarget();
        MemberConfig self = coordinator.self();
        if (source == null || self == null || self.arbiterOnly()) {
            if (client != null) {
                closeClient();
                coordinator.syncingFrom(null);
            }
            pause(50);
            return true;
        }
        if (client == null || !client.host().equals(source.host())) {
            closeClient();
            ReplSetConfig cfg = coordinator.config();
            client = coordinator.peer(source.host(), (int) Math.max(1000, cfg.electionTimeoutMillis()));
            coordinator.syncingFrom(source);
            if (!source.host().equals(lastSource)) {
                log.info("syncing from {}", source.host());
                lastSource = source.host();
            }
        }
        if (paused) {
            return false;
        }
        OpTime last = coordinator.lastApplied();
        if (last.ts() == 0) { // an empty oplog: this member has nothing to go on from
            cursorId = 0;
            return InitialSync.run(coordinator, client);
        }
        boolean delayed = self.secondaryDelaySecs() > 0;
        List<?> batch;
        if (cursorId != 0) {
            // Tailing: the source holds the getMore until it has entries (or maxTimeMS passed); no polling here.
            Document reply = client.run("local", new Document("getMore", cursorId).append("collection", "oplog.rs")
                .append("batchSize", BATCH).append("maxTimeMS", awaitMillis()));
            if (!(reply.get("cursor") instanceof Document cursor) || !(cursor.get("nextBatch") instanceof List<?> next)) {
                log.debug("oplog cursor on {} ended: {}", client.host(), reply.get("errmsg"));
                cursorId = 0; // find again from our last entry, with its checks
                return true;
            }
            coordinator.fetchedFrom(source); // a successful fetch counts as hearing from the source
            cursorId = ((Number) cursor.get("id")).longValue();
            batch = next;
        } else {
            // From our last entry on: the source must have it, or the two oplogs have diverged (or ours fell off its end).
            Document filter = new Document("ts", new Document("$gte", new BsonTimestamp(last.ts())));
            Document find = new Document("find", "oplog.rs").append("filter", filter).append("batchSize", BATCH);
            if (!delayed) { // a delayed member re-reads what it may not apply yet, so it does not keep a cursor
                find.append("tailable", true).append("awaitData", true);
            }
            Document reply = client.run("local", find);
            if (!(reply.get("cursor") instanceof Document cursor) || !(cursor.get("firstBatch") instanceof List<?> fetched)) {
                throw new IOException("oplog query failed: " + reply.get("errmsg"));
            }
            coordinator.fetchedFrom(source);
            if (fetched.isEmpty() || !OpTime.ofEntry((Document) fetched.get(0)).equals(last)) {
                if (!TooStale.check(coordinator, client, last)) {
                    Rollback.run(coordinator, client, last);
                }
                return true;
            }
            cursorId = cursor.get("id") instanceof Number id ? id.longValue() : 0;
            batch = fetched.subList(1, fetched.size());
            if (batch.isEmpty() && cursorId != 0) {
                return true; // the getMore waits next
            }
        }
        List<Document> ready = new ArrayList<>();
        Instant cutoff = Instant.now().minusSeconds(self.secondaryDelaySecs());
        for (Object o : batch) {
            Document entry = (Document) o;
            if (self.secondaryDelaySecs() > 0 && entry.get("wall") instanceof Instant wall && wall.isAfter(cutoff)) {
                break;
            }
            ready.add(entry);
        }
        if (ready.isEmpty()) {
            return cursorId != 0; // tailing: the next getMore waits; otherwise pause before asking again
        }
        if (paused) { // paused while the getMore was held: what it brought is not applied (read again later)
            cursorId = 0;
            return false;
        }
        Boolean applied = coordinator.storage().submit(() -> OplogApplier.apply(coordinator, ready)).get();
        if (Boolean.TRUE.equals(applied)) {
            reportPosition(self);
        } else {
            cursorId = 0; // not applied (the state changed): what the cursor gave must be read again
        }
        return true;
    }

    /** How long the source may hold a getMore: well within this client's read timeout. */
    private long awaitMillis() {
        return Math.max(100, Math.min(AWAIT_MILLIS, client.timeoutMillis() / 2));
    }

    private void reportPosition(MemberConfig self) throws IOException {
        OpTime applied = coordinator.lastApplied();
        Document position = new Document("memberId", self.id()).append("appliedOpTime", applied.toDocument())
            .append("durableOpTime", applied.toDocument()).append("cfgver", coordinator.config().version());
        // With this member's term (mongod sends it in the command's replication metadata): a source that is a deposed
        // primary, still taking writes in an older term, must step down on it, not count this position for them.
        client.run("admin", new Document("replSetUpdatePosition", 1).append("optimes", new ArrayList<>(List.of(position)))
            .append("term", coordinator.term()));
    }

    private void closeClient() {
        cursorId = 0;
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private void pause(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
