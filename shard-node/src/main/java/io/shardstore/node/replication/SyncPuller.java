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
 * A secondary's fetcher: its own thread pulls entries after the last applied one from the sync source with find on
 * local.oplog.rs, hands each batch to the storage thread to apply (honouring secondaryDelaySecs), then reports its
 * position with replSetUpdatePosition. It waits on the network and on the storage thread, never the other way round.
 */
final class SyncPuller implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SyncPuller.class);
    private static final int BATCH = 1000;

    private final ReplicationCoordinator coordinator;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean paused;
    private PeerClient client;
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
            } catch (RuntimeException | ExecutionException e) {
                log.warn("oplog application failed", e);
                pause(100);
            }
        }
        closeClient();
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
            client = new PeerClient(source.host(), (int) Math.max(1000, cfg.electionTimeoutMillis()));
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
        boolean fresh = last.ts() == 0;
        // From our last entry on: the source must have it, or the two oplogs have diverged.
        Document filter = fresh ? new Document() : new Document("ts", new Document("$gte", new BsonTimestamp(last.ts())));
        Document reply = client.run("local", new Document("find", "oplog.rs").append("filter", filter).append("batchSize", BATCH));
        if (!(reply.get("cursor") instanceof Document cursor) || !(cursor.get("firstBatch") instanceof List<?> fetched)) {
            throw new IOException("oplog query failed: " + reply.get("errmsg"));
        }
        coordinator.fetchedFrom(source);
        List<?> batch = fetched;
        if (!fresh) {
            if (batch.isEmpty() || !OpTime.ofEntry((Document) batch.get(0)).equals(last)) {
                Rollback.run(coordinator, client, last);
                return true;
            }
            batch = batch.subList(1, batch.size());
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
            return false;
        }
        Boolean applied = coordinator.storage().submit(() -> OplogApplier.apply(coordinator, ready)).get();
        if (Boolean.TRUE.equals(applied)) {
            reportPosition(self);
        }
        return true;
    }

    private void reportPosition(MemberConfig self) throws IOException {
        OpTime applied = coordinator.lastApplied();
        Document position = new Document("memberId", self.id()).append("appliedOpTime", applied.toDocument())
            .append("durableOpTime", applied.toDocument()).append("cfgver", coordinator.config().version());
        client.run("admin", new Document("replSetUpdatePosition", 1).append("optimes", new ArrayList<>(List.of(position))));
    }

    private void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private void pause(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
