package io.shardstore.node.replication;

import java.time.Instant;
import java.util.function.LongSupplier;

import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.storage.EffectListener;

/**
 * Turns the storage engine's effects into oplog entries on the primary: put -> "i" (insert) or "u" (the whole
 * document, by _id), del -> "d", cmd -> "c". The local database is never logged. While a secondary applies entries
 * it received, the writer is suspended: those entries are appended as they came, with their own ts. Storage thread only.
 */
public final class OplogWriter implements EffectListener {
    private final OplogStore oplog;
    private final LongSupplier term;
    private long lastTs;
    private boolean suspended;

    public OplogWriter(OplogStore oplog, LongSupplier term) {
        this.oplog = oplog;
        this.term = term;
    }

    @Override
    public void onEffect(Document effect) {
        if (suspended) {
            return;
        }
        Document entry = toEntry(effect);
        if (entry != null) {
            oplog.append(entry);
        }
    }

    private Document toEntry(Document effect) {
        switch (String.valueOf(effect.get("op"))) {
            case "put" -> {
                String ns = (String) effect.get("ns");
                if (isLocal(ns)) {
                    return null;
                }
                Document doc = ((Document) effect.get("doc")).cloneDeeply();
                if (Boolean.TRUE.equals(effect.get("insert"))) {
                    return entry("i", ns, doc, null);
                }
                return entry("u", ns, doc, new Document("_id", doc.get("_id")));
            }
            case "del" -> {
                String ns = (String) effect.get("ns");
                return isLocal(ns) ? null : entry("d", ns, new Document("_id", effect.get("id")), null);
            }
            case "cmd" -> {
                String db = (String) effect.get("db");
                return "local".equals(db) ? null : entry("c", db + ".$cmd", ((Document) effect.get("cmd")).cloneDeeply(), null);
            }
            default -> {
                return null;
            }
        }
    }

    /** Writes an entry as it is given (op, ns, o); storage thread. */
    void record(String op, String ns, Document o) {
        oplog.append(entry(op, ns, o, null));
    }

    /** Writes a no-op entry (a new primary announces its term this way). */
    public void noop(String message) {
        oplog.append(entry("n", "", new Document("msg", message), null));
    }

    private Document entry(String op, String ns, Document o, Document o2) {
        Document e = new Document("ts", new BsonTimestamp(nextTs())).append("t", term.getAsLong()).append("v", 2L)
            .append("op", op).append("ns", ns).append("o", o);
        if (o2 != null) {
            e.append("o2", o2);
        }
        return e.append("wall", Instant.now());
    }

    private long nextTs() {
        long secs = Instant.now().getEpochSecond();
        long lastSecs = lastTs >>> 32;
        lastTs = secs > lastSecs ? (secs << 32) | 1 : lastTs + 1;
        return lastTs;
    }

    /** After applying a received entry: later entries written here come after it. */
    public void advanceTo(long ts) {
        if (Long.compareUnsigned(ts, lastTs) > 0) {
            lastTs = ts;
        }
    }

    public void suspend(boolean value) {
        suspended = value;
    }

    private static boolean isLocal(String ns) {
        return "local".equals(Utils.getDatabaseNameFromFullName(ns));
    }
}
