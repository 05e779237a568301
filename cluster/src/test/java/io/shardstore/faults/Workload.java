package io.shardstore.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.bson.Document;

import com.mongodb.MongoWriteConcernException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.DeleteResult;
import com.mongodb.client.result.UpdateResult;

/**
 * One client thread: its own driver client on the router with the drivers' defaults (retryable writes on) and
 * {@code w: "majority"}, inserting, incrementing, deleting and reading documents it alone writes, until the deadline.
 * Every outcome goes into the {@link History}; reads are checked at once: per document, this session never sees
 * {@code n} go down, nor a document vanish that it did not try to delete.
 */
final class Workload implements Runnable {
    private final String uri;
    private final String db;
    private final String coll;
    private final int thread;
    private final long seed;
    private final long deadlineNanos;
    private final History history;
    private final long startNanos = System.nanoTime();

    Workload(String uri, String db, String coll, int thread, long seed, long deadlineNanos, History history) {
        this.uri = uri;
        this.db = db;
        this.coll = coll;
        this.thread = thread;
        this.seed = seed;
        this.deadlineNanos = deadlineNanos;
        this.history = history;
    }

    @Override
    public void run() {
        Random random = new Random(seed);
        List<History.Doc> live = new ArrayList<>();
        Map<String, Long> lastSeen = new HashMap<>();
        int next = 0;
        try (MongoClient client = MongoClients.create(uri + "/?w=majority&serverSelectionTimeoutMS=20000&socketTimeoutMS=30000")) {
            MongoCollection<Document> c = client.getDatabase(db).getCollection(coll);
            while (System.nanoTime() < deadlineNanos) {
                int roll = random.nextInt(100);
                if (roll < 40 || live.isEmpty()) {
                    History.Doc d = new History.Doc("t" + thread + "-" + next++);
                    history.docs.put(d.id, d);
                    d.insert = attempt(d, "insert", () -> c.insertOne(new Document("_id", d.id).append("k", d.id).append("n", 0L)));
                    if (d.insert != History.Outcome.FAIL) {
                        live.add(d);
                    }
                } else if (roll < 70) {
                    History.Doc d = live.get(random.nextInt(live.size()));
                    long[] modified = {0};
                    History.Outcome o = attempt(d, "update", () -> {
                        UpdateResult r = c.updateOne(Filters.eq("k", d.id), Updates.inc("n", 1L));
                        modified[0] = r.getModifiedCount();
                    });
                    if (o == History.Outcome.ACK && modified[0] == 1) {
                        d.ackedIncrements++;
                    } else if (o == History.Outcome.UNKNOWN) {
                        d.unknownIncrements++;
                    }
                } else if (roll < 80) {
                    History.Doc d = live.remove(random.nextInt(live.size()));
                    long[] deleted = {-1};
                    d.delete = attempt(d, "delete", () -> {
                        DeleteResult r = c.deleteOne(Filters.eq("k", d.id));
                        deleted[0] = r.getDeletedCount();
                    });
                    d.deleted = deleted[0];
                } else {
                    History.Doc d = live.get(random.nextInt(live.size()));
                    Document[] found = {null};
                    if (attempt(d, "read", () -> found[0] = c.find(Filters.eq("k", d.id)).first()) == History.Outcome.ACK) {
                        checkRead(d, found[0], lastSeen);
                    }
                }
            }
        }
    }

    private void checkRead(History.Doc d, Document found, Map<String, Long> lastSeen) {
        Long before = lastSeen.get(d.id);
        if (found == null) {
            if (before != null) {
                history.anomaly(d.id + ": read by its writer after n = " + before + " was seen, and now it is gone (thread " + thread + ")");
            }
            return;
        }
        long n = ((Number) found.get("n")).longValue();
        if (before != null && n < before) {
            history.anomaly(d.id + ": read n = " + n + " after n = " + before + " (not monotonic, thread " + thread + ")");
        }
        lastSeen.put(d.id, before == null ? n : Math.max(n, before));
    }

    /** Runs one operation and classifies what the client was told. */
    private History.Outcome attempt(History.Doc d, String kind, Runnable op) {
        History.Outcome outcome = attempt(kind, op);
        d.note(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), kind + " " + outcome);
        return outcome;
    }

    private History.Outcome attempt(String kind, Runnable op) {
        try {
            op.run();
            history.count(kind + " ok");
            return History.Outcome.ACK;
        } catch (MongoWriteConcernException e) {
            history.count(kind + " unknown");
            return History.Outcome.UNKNOWN;
        } catch (MongoWriteException e) {
            // The server refused this statement (a write error): it was not applied.
            history.count(kind + " failed " + e.getError().getCode());
            return History.Outcome.FAIL;
        } catch (RuntimeException e) {
            history.count(kind + " unknown");
            return History.Outcome.UNKNOWN;
        }
    }
}
