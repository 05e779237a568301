package io.shardstore.bench.ycsb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.bson.Document;

import com.mongodb.MongoInterruptedException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoIterable;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

/**
 * Runs operations of one workload for one client thread against one collection handle (which decides the
 * target: the router, the relay or a shard directly). The same code runs for every target, so any difference
 * in the figures is the path, not the client.
 */
public final class OperationRunner implements AutoCloseable {
    /** The scatter-gather query's limit (the goal is stated for sort + limit 100). */
    public static final int SCATTER_LIMIT = 100;
    /** Records a RANGE query is sized to return, on average. */
    public static final int RANGE_RECORDS = 50;

    private final MongoCollection<Document> collection;
    private final KeySpace keys;
    private final KeySpace.KeyChooser chooser;
    private final Records records;
    private final int maxScanLength;

    /** Shards a client-side scatter-gather sends to (empty: one collection handle does everything). */
    private final List<MongoCollection<Document>> fanOut;
    private final ExecutorService fanOutThreads;

    public OperationRunner(MongoCollection<Document> collection, KeySpace keys, Workload workload, Records records) {
        this(collection, List.of(), keys, workload, records);
    }

    public OperationRunner(MongoCollection<Document> collection, List<MongoCollection<Document>> fanOut, KeySpace keys, Workload workload,
                           Records records) {
        this.collection = collection;
        this.fanOut = fanOut;
        this.fanOutThreads = fanOut.isEmpty() ? null : Executors.newFixedThreadPool(fanOut.size(), r -> {
            Thread t = new Thread(r, "bench-fan-out");
            t.setDaemon(true);
            return t;
        });
        this.keys = keys;
        this.chooser = keys.chooser(workload);
        this.records = records;
        this.maxScanLength = workload.maxScanLength();
    }

    /** Runs one operation; returns false when the record it looked for was not there (a miss, not an error). */
    public boolean run(Operation op) {
        return switch (op) {
            case READ -> read(Keys.idOf(chooser.next()));
            case UPDATE -> update(Keys.idOf(chooser.next()));
            case INSERT -> insert();
            case SCAN -> scan();
            case READ_MODIFY_WRITE -> {
                long id = Keys.idOf(chooser.next());
                boolean found = read(id);
                yield update(id) && found;
            }
            case SCATTER_SORT -> fanOut.isEmpty() ? drain(collection.find().sort(Sorts.ascending("n")).limit(SCATTER_LIMIT)) > 0
                : scatterFromClient() > 0;
            case RANGE -> range();
        };
    }

    private boolean read(long id) {
        return collection.find(Filters.eq("_id", id)).first() != null;
    }

    private boolean update(long id) {
        return collection.updateOne(Filters.eq("_id", id), Updates.set(records.randomField(), records.value())).getMatchedCount() == 1;
    }

    private boolean insert() {
        long n = keys.inserts().issue();
        try {
            collection.insertOne(records.record(n));
            return true;
        } finally {
            keys.inserts().acknowledge(n);
        }
    }

    private boolean scan() {
        long start = Keys.idOf(chooser.next());
        int length = 1 + ThreadLocalRandom.current().nextInt(maxScanLength);
        return drain(collection.find(Filters.gte("_id", start)).sort(Sorts.ascending("_id")).limit(length)) > 0;
    }

    private boolean range() {
        long from = Keys.idOf(chooser.next());
        long width = Keys.widthFor(RANGE_RECORDS, keys.loaded());
        long to = from > Long.MAX_VALUE - width ? Long.MAX_VALUE : from + width;
        return drain(collection.find(Filters.and(Filters.gte("_id", from), Filters.lt("_id", to)))) > 0;
    }

    /** The scatter-gather query sent to every shard at once, the first 100 by {@code n} kept: what the router does, minus the router. */
    private int scatterFromClient() {
        List<Future<List<Document>>> parts = new ArrayList<>();
        for (MongoCollection<Document> shard : fanOut) {
            parts.add(fanOutThreads.submit(() -> shard.find().sort(Sorts.ascending("n")).limit(SCATTER_LIMIT).into(new ArrayList<>())));
        }
        List<Document> all = new ArrayList<>();
        for (Future<List<Document>> f : parts) {
            try {
                all.addAll(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MongoInterruptedException("interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }
        all.sort(Comparator.comparing(d -> d.getInteger("n")));
        return Math.min(SCATTER_LIMIT, all.size());
    }

    @Override
    public void close() {
        if (fanOutThreads != null) {
            fanOutThreads.shutdownNow();
        }
    }

    private static int drain(MongoIterable<Document> found) {
        int n = 0;
        try (MongoCursor<Document> c = found.iterator()) {
            while (c.hasNext()) {
                c.next();
                n++;
            }
        }
        return n;
    }
}
