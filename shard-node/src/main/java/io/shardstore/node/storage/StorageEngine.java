package io.shardstore.node.storage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Owns the document engine and the threads that touch it, never a Netty event loop. The engine
 * (mongo-java-server) is synchronous and not safe for a write beside anything else, so every change runs on the
 * one "storage" thread under the write lock of {@link StorageLock}; reads may run side by side on reader threads
 * under its read lock (decision 0010). Effects of writes go to {@link Durability} in the order they happen.
 */
public final class StorageEngine implements AutoCloseable {
    private final NodeBackend backend = new NodeBackend();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "storage");
        t.setDaemon(true);
        return t;
    });
    /** Reads that may run side by side (find, getMore, count, distinct, aggregate without output): decision 0010. */
    private final ExecutorService readers = Executors.newFixedThreadPool(READER_THREADS, new java.util.concurrent.ThreadFactory() {
        private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "storage-reader-" + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });
    private static final int READER_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    private final StorageLock lock = new StorageLock();
    /** Stands in for a client connection when the node runs commands itself (recovery, checkpoints). */
    private final Channel systemChannel = new EmbeddedChannel();
    private Durability durability = Durability.IN_MEMORY;
    private boolean recording = true;
    /** Replication's oplog writer, when the node runs with --replSet. */
    private EffectListener listener;
    /** A member's oplog as recovered from --dbpath, until replication takes it over. */
    private final RecoveredOplog recoveredOplog = new RecoveredOplog();
    /** Per namespace under migration, the _ids changed since capture began (see MigrationCapture). */
    private final java.util.Map<String, java.util.Set<Object>> captures = new java.util.HashMap<>();

    private StorageEngine() {
        backend.recordEffectsWith(new EffectRecorder(this));
    }

    public static StorageEngine inMemory() {
        return new StorageEngine();
    }

    /** Switches to journaled durability; from here on every effect is recorded. */
    void journalTo(Durability durability) {
        this.durability = durability;
    }

    /** Also hands every effect to {@code listener} (the oplog writer of a replica-set member). */
    public void listenWith(EffectListener listener) {
        this.listener = listener;
    }

    /** Runs a command in the engine as the node itself (oplog application). Storage thread only. */
    public Document runAsSystem(String db, String command, Document body) {
        return backend.handleCommand(systemChannel, db, command, body);
    }

    /** Caps the oplog recovered at start at {@code maxBytes}; call before recovery (a member's --oplogSizeMB). */
    public void limitRecoveredOplog(long maxBytes) {
        recoveredOplog.limitTo(maxBytes);
    }

    public RecoveredOplog recoveredOplog() {
        return recoveredOplog;
    }

    /** Journals a member's oplog (entries and rollback truncations), so it is recovered with the data. */
    public OplogDurability oplogDurability() {
        return new OplogDurability() {
            @Override
            public void appended(Document entry) {
                durability.record(JournalRecords.oplogEntry(entry));
            }

            @Override
            public void truncatedAfter(long ts) {
                durability.record(JournalRecords.oplogTruncate(ts));
            }
        };
    }

    /** The node's views (read from any thread; changed by catalog commands on the storage thread). */
    public ViewCatalog views() {
        return backend.views();
    }

    public MongoBackend backend() {
        return backend;
    }

    Channel systemChannel() {
        return systemChannel;
    }

    /** Runs {@code work} on the storage thread, alone: every change to the engine goes this way. */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        return CompletableFuture.supplyAsync(() -> lock.write(work), thread);
    }

    /**
     * Runs a read on a reader thread, beside other reads and never beside a write; it must not change the engine
     * nor hand out the engine's documents (copy them: a write may change them once the read is over).
     * {@code maxTimeMillis} bounds it at its yield points (0: no bound), and it stops at a yield point once
     * {@code killed} says so (killOp: Interrupted, 11601).
     */
    public <T> CompletableFuture<T> read(Supplier<T> work, long maxTimeMillis, java.util.function.BooleanSupplier killed) {
        return CompletableFuture.supplyAsync(() -> lock.read(work, maxTimeMillis, killed), readers);
    }

    /** Runs a command in the engine. Storage thread only. */
    public Document run(Channel channel, String db, String command, Document body) {
        return backend.handleCommand(channel, db, command, body);
    }

    /**
     * Opens a cursor over results a handler holds back from its first batch; getMore and killCursors serve
     * it like any engine cursor. Returns its id. Storage thread only.
     */
    public long openCursor(java.util.List<Document> documents) {
        return backend.openCursor(documents);
    }

    /** Records an effect unless replaying one. Storage thread only. */
    public void record(Document effect) {
        if (!recording) {
            return;
        }
        durability.record(effect);
        if (listener != null) {
            listener.onEffect(effect);
        }
        Object ns = effect.get("ns");
        if (ns != null && !captures.isEmpty()) {
            java.util.Set<Object> touched = captures.get(ns);
            if (touched != null) {
                Object id = effect.containsKey("doc") ? ((Document) effect.get("doc")).get("_id") : effect.get("id");
                touched.add(id);
            }
        }
    }

    public boolean durable() {
        return durability != Durability.IN_MEMORY;
    }

    /** Whether a change to this namespace must be recorded at all (journal, or a migration capturing it). */
    public boolean wantsEffects(String namespace) {
        return recording && (durable() || listener != null || captures.containsKey(namespace));
    }

    /** Starts remembering which documents of {@code namespace} change. Storage thread only. */
    public void startCapture(String namespace) {
        captures.putIfAbsent(namespace, new java.util.LinkedHashSet<>());
    }

    /**
     * The ids changed since the last drain; capturing goes on. Null when no capture runs for the namespace (never
     * started here: this member became primary after the start, so the changes before it are unknown). Storage thread only.
     */
    public java.util.Set<Object> drainCapture(String namespace) {
        java.util.Set<Object> touched = captures.get(namespace);
        if (touched == null) {
            return null;
        }
        captures.put(namespace, new java.util.LinkedHashSet<>());
        return touched;
    }

    public void stopCapture(String namespace) {
        captures.remove(namespace);
    }

    /** Records the document with this id as it is now: put if present, del if gone. Storage thread only. */
    public void recordCurrentState(String namespace, Object id) {
        if (!wantsEffects(namespace)) {
            return;
        }
        Document now = findById(namespace, id);
        record(now != null ? JournalRecords.put(namespace, now) : JournalRecords.delete(namespace, id));
    }

    /** Records a whole collection as it is now (after $out / $merge, which bypass the write hooks). */
    public void recordCollection(String namespace) {
        if (!wantsEffects(namespace)) {
            return;
        }
        String db = Utils.getDatabaseNameFromFullName(namespace);
        String coll = Utils.getCollectionNameFromFullName(namespace);
        record(JournalRecords.command(db, new Document("drop", coll)));
        MongoCollection<?> collection = backend.resolveDatabase(db).resolveCollection(coll, false);
        if (collection != null) {
            record(JournalRecords.command(db, new Document("create", coll)));
            for (Document doc : collection.handleQuery(new de.bwaldvogel.mongo.backend.QueryParameters(new Document(), 0, 0))) {
                record(JournalRecords.put(namespace, doc));
            }
        }
    }

    /** Whether the collection exists (storage thread only). */
    public boolean hasCollection(String namespace) {
        MongoDatabase db = backend.resolveDatabase(Utils.getDatabaseNameFromFullName(namespace));
        return db.resolveCollection(Utils.getCollectionNameFromFullName(namespace), false) != null;
    }

    /** Storage thread only. */
    public Document findById(String namespace, Object id) {
        MongoDatabase db = backend.resolveDatabase(Utils.getDatabaseNameFromFullName(namespace));
        MongoCollection<?> collection = db.resolveCollection(Utils.getCollectionNameFromFullName(namespace), false);
        return collection == null ? null : EffectRecorder.first(collection, id);
    }

    /** Completes when every effect recorded so far is durable; call after the write, from the storage thread. */
    public CompletableFuture<Void> flushed() {
        return durability.flushed();
    }

    void withoutRecording(Runnable replay) {
        recording = false;
        try {
            replay.run();
        } finally {
            recording = true;
        }
    }

    @Override
    public void close() {
        readers.shutdown();
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        durability.close();
        backend.close();
    }
}
