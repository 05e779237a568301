package io.shardstore.router.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.shardstore.protocol.ErrorCode;

/**
 * This router's side of migrations over plain shards (issue 11, decision 0014). A plain shard (a real mongod) cannot
 * turn away a request made with an old routing table, so the config server fences the routers instead:
 * <ul>
 * <li>It writes one document per migrating collection in {@code config.plainFences} ({@code {_id: ns, seq, phase}}, phase
 * {@code cloning}, {@code critical} or {@code released}; seq from the counter document {@code __seq}).</li>
 * <li>Every router reads them every {@value #POLL_MILLIS} ms while a shard is plain and acknowledges in {@code config.routerLeases}
 * ({@code {_id: router, ackSeq, renewedAt}}, renewedAt the config server's own clock): a fence counts as acknowledged once
 * this router acts on it. While a collection is {@code cloning} or later, its reads and writes sent to plain shards are
 * restricted to the chunks each shard owns (the gateway's ownership filter). When it is {@code critical}, new writes to
 * it wait, and the writes already sent have all been answered. When it is {@code released}, its routing has been read
 * again and the waiting writes go on with it.</li>
 * <li>The acknowledgement is also a lease: a router whose last acknowledgement began more than {@value #LEASE_MILLIS} ms
 * ago sends nothing to a plain shard until it renews, and the config server stops waiting for a router whose
 * renewedAt is older than the lease and a margin. So a router cut off from the config server cannot write with a
 * routing table it has not checked.</li>
 * </ul>
 * All of this only runs while some shard is plain; a cluster of our own shard nodes pays one volatile read per request.
 */
public final class PlainFences implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PlainFences.class);
    public static final long LEASE_MILLIS = 3_000;
    /** Fences are read this often: a migration waits for every router about three times (one poll each at worst). */
    static final long POLL_MILLIS = 50;
    /**
     * While no shard is plain, the poller only looks whether one has come this often: a wake-up every 50 ms cost the
     * router about 5 ms of CPU a second (measured per thread under the bench's load), for nothing. A request that needs
     * a lease (the first after a plain shard was added) polls at once ({@link #admit}).
     */
    static final long IDLE_POLL_MILLIS = 1_000;
    /** A renewal is written at least this often (and whenever the acknowledged seq moves). */
    private static final long RENEW_MILLIS = 1_000;
    /** How long a request waits for a lease (the config server unreachable) before it fails. */
    private static final long LEASE_WAIT_MILLIS = 10_000;
    public static final String FENCES = "plainFences";
    public static final String LEASES = "routerLeases";
    public static final String COUNTER = "__seq";

    private final CatalogCache catalog;
    private final MongoDatabase config;
    private final String routerId = UUID.randomUUID().toString();
    private final ScheduledExecutorService poller;
    private volatile Map<String, BsonDocument> fences = Map.of();
    private volatile long leaseStartNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(LEASE_MILLIS) - 1;
    private long lastRenewNanos;
    private long lastAck = -1;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean pollQueued = new java.util.concurrent.atomic.AtomicBoolean();
    /** Writes waiting for a collection's critical section to end (or for a lease), by namespace ("" for the lease). */
    private final Map<String, List<CompletableFuture<Void>>> waiting = new HashMap<>();
    /** Namespaces whose routing was read again after their release, by the release's seq. */
    private final Map<String, Long> refreshedAt = new ConcurrentHashMap<>();
    /** Refreshes under way, as "ns#seq". */
    private final java.util.Set<String> refreshing = ConcurrentHashMap.newKeySet();

    PlainFences(CatalogCache catalog, MongoDatabase config) {
        this.catalog = catalog;
        this.config = config;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "plain-fences");
            t.setDaemon(true);
            return t;
        });
        poller.execute(this::tick);
    }

    /** The fence of {@code ns} ({@code {_id, seq, phase, ...}}), or null: reads and writes of it need the ownership filter. */
    public BsonDocument fence(String ns) {
        Map<String, BsonDocument> now = fences;
        return now.isEmpty() ? null : now.get(ns);
    }

    /** Whether any collection is being migrated over plain shards. */
    public boolean anyFence() {
        return !fences.isEmpty();
    }

    private boolean leaseValid() {
        return System.nanoTime() - leaseStartNanos < TimeUnit.MILLISECONDS.toNanos(LEASE_MILLIS);
    }

    /**
     * Admits a write to {@code ns} (a collection that may live on plain shards): completes when the lease is valid and
     * the collection is not in a critical section; the caller must call {@link #writeDone} once it is answered.
     */
    public CompletableFuture<Void> admitWrite(String ns) {
        return admit(ns, true);
    }

    /** Admits a read: it only needs a valid lease (it may have missed a fence otherwise). */
    public CompletableFuture<Void> admitRead(String ns) {
        return admit(ns, false);
    }

    private CompletableFuture<Void> admit(String ns, boolean write) {
        synchronized (this) {
            BsonDocument fence = fence(ns);
            boolean held = write && fence != null && "critical".equals(fence.getString("phase", new BsonString("")).getValue());
            if (!held && leaseValid()) {
                if (write) {
                    inFlight.computeIfAbsent(ns, k -> new AtomicInteger()).incrementAndGet();
                }
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> wait = new CompletableFuture<>();
            waiting.computeIfAbsent(held ? ns : "", k -> new ArrayList<>()).add(wait);
            if (!held) {
                pollSoon();
            }
            CompletableFuture<Void> admitted = wait.thenCompose(v -> admit(ns, write));
            if (!held) {
                // Only a missing lease can fail a request; a critical section ends (or is undone) by itself.
                wait.orTimeout(LEASE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                return admitted.exceptionallyCompose(e -> CompletableFuture.failedFuture(
                    new io.shardstore.router.command.RouterError(ErrorCode.ExceededTimeLimit,
                        "the router could not renew its routing lease with the config server (needed while a shard is plain)")));
            }
            return admitted;
        }
    }

    /** A write admitted by {@link #admitWrite} was answered. */
    public void writeDone(String ns) {
        AtomicInteger n = inFlight.get(ns);
        if (n != null) {
            n.decrementAndGet();
        }
    }

    /** One round of the poller, which then schedules the next: soon while a shard is plain, seldom otherwise. */
    private void tick() {
        pollQuietly();
        try {
            poller.schedule(this::tick, catalog.anyPlain() ? POLL_MILLIS : IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closed: no more rounds
        }
    }

    private void pollQuietly() {
        if (!catalog.anyPlain()) {
            return;
        }
        try {
            poll();
        } catch (RuntimeException e) {
            log.debug("plain fences not read: {}", e.toString());
        }
    }

    /** Polls now, on the poller's thread (a request waits for a lease the idle poller has not taken yet); one at a time. */
    private void pollSoon() {
        if (!pollQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            poller.execute(() -> {
                pollQueued.set(false);
                pollQuietly();
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closed: the request fails at its lease deadline
        }
    }

    private void poll() {
        long start = System.nanoTime();
        Map<String, BsonDocument> read = new HashMap<>();
        long newest = lastAck;
        for (BsonDocument d : config.getCollection(FENCES, BsonDocument.class).find()) {
            String id = d.getString("_id").getValue();
            if (!id.equals(COUNTER)) {
                read.put(id, d);
                newest = Math.max(newest, d.getNumber("seq").longValue());
            }
        }
        List<CompletableFuture<Void>> release = new ArrayList<>();
        // Only seqs read in a fence count (never the counter: it moves before its fence is written), and none beyond
        // a fence this router has not acted on yet.
        long ack = newest;
        synchronized (this) {
            Map<String, BsonDocument> before = fences;
            fences = Map.copyOf(read);
            for (var e : read.entrySet()) {
                String ns = e.getKey();
                long seq = e.getValue().getNumber("seq").longValue();
                String phase = e.getValue().getString("phase", new BsonString("")).getValue();
                boolean satisfied = switch (phase) {
                    case "critical" -> inFlight.getOrDefault(ns, new AtomicInteger()).get() <= 0;
                    case "released" -> refreshedAt.getOrDefault(ns, -1L) >= seq;
                    default -> true;
                };
                if ("released".equals(phase) && refreshedAt.getOrDefault(ns, -1L) < seq && refreshing.add(ns + "#" + seq)) {
                    // One refresh per release; the writes that waited for the critical section go on after it.
                    catalog.refresh(ns).whenComplete((m, err) -> {
                        if (err == null) {
                            refreshedAt.merge(ns, seq, Math::max);
                        }
                        refreshing.remove(ns + "#" + seq);
                        wake(ns);
                    });
                }
                if (!satisfied) {
                    ack = Math.min(ack, seq - 1);
                }
            }
            for (String ns : before.keySet()) {
                if (!read.containsKey(ns)) {
                    refreshedAt.remove(ns); // the migration is over: its routing was read at its release (or it was undone)
                }
            }
            // Writes waiting for a critical section that is no longer critical here go on (re-checked in admit).
            for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                BsonDocument fence = read.get(e.getKey());
                boolean stillHeld = fence != null && "critical".equals(fence.getString("phase", new BsonString("")).getValue());
                boolean releasedButNotRefreshed = fence != null && "released".equals(fence.getString("phase", new BsonString("")).getValue())
                    && refreshedAt.getOrDefault(e.getKey(), -1L) < fence.getNumber("seq").longValue();
                if (!e.getKey().isEmpty() && !stillHeld && !releasedButNotRefreshed) {
                    release.addAll(e.getValue());
                    it.remove();
                }
            }
        }
        long now = System.nanoTime();
        if (ack != lastAck || now - lastRenewNanos >= TimeUnit.MILLISECONDS.toNanos(RENEW_MILLIS) || !leaseValid()) {
            config.getCollection(LEASES, BsonDocument.class).updateOne(Filters.eq("_id", routerId),
                Updates.combine(Updates.set("ackSeq", new BsonInt64(ack)), Updates.currentDate("renewedAt")),
                new UpdateOptions().upsert(true));
            lastAck = ack;
            lastRenewNanos = now;
            leaseStartNanos = start;
            List<CompletableFuture<Void>> leaseWaiters;
            synchronized (this) {
                leaseWaiters = waiting.remove("");
            }
            if (leaseWaiters != null) {
                release.addAll(leaseWaiters);
            }
        }
        release.forEach(f -> f.completeAsync(() -> null, catalog.executor()));
    }

    private void wake(String ns) {
        List<CompletableFuture<Void>> go;
        synchronized (this) {
            BsonDocument fence = fences.get(ns);
            if (fence != null && ("critical".equals(fence.getString("phase", new BsonString("")).getValue())
                || refreshedAt.getOrDefault(ns, -1L) < fence.getNumber("seq").longValue())) {
                return; // a failed refresh: the next poll tries again
            }
            go = waiting.remove(ns);
        }
        if (go != null) {
            go.forEach(f -> f.completeAsync(() -> null, catalog.executor()));
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
