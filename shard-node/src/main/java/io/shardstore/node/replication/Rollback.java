package io.shardstore.node.replication;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Rollback by refetch, for a member whose last entries are not in its sync source's oplog (a deposed primary's
 * writes that never reached a majority). Finds the newest entry both oplogs share, drops this member's entries
 * after it, and sets every document those entries touched to what the source has now (or removes it). Catalog
 * commands ("c") are not undone, only logged. This member's versions of the documents it resets are kept in rollback
 * files ({@link RollbackFiles}). Runs on the puller thread; the changes on the storage thread.
 */
final class Rollback {
    private static final Logger log = LoggerFactory.getLogger(Rollback.class);
    private static final int MAX_PROBES = 10_000;

    private Rollback() {
    }

    static void run(ReplicationCoordinator coordinator, PeerClient source, OpTime last) throws IOException {
        if (!coordinator.rollbackState(true)) {
            return;
        }
        log.warn("this member's last oplog entry {} is not in the oplog of {}: rolling back", last, source.host());
        try {
            OpTime common = commonPoint(coordinator, source, last);
            log.info("common point with {}: {}", source.host(), common);
            if (common == null) {
                log.error("no common point with {} within {} entries: this member needs a resync", source.host(), MAX_PROBES);
                return;
            }
            List<Document> divergent = new ArrayList<>();
            for (Document e : coordinator.oplog().after(common.ts(), false, Integer.MAX_VALUE)) {
                divergent.add(e);
            }
            Map<String, Object> touched = new LinkedHashMap<>(); // "ns\0id-json" -> id, in order
            Map<String, String> nsOf = new LinkedHashMap<>();
            for (Document e : divergent) {
                String op = String.valueOf(e.get("op"));
                String ns = String.valueOf(e.get("ns"));
                if (op.equals("n") && e.get("o") instanceof Document o) {
                    // The statements this entry recorded as executed are undone with it: a retry must run them again
                    // (found by the fault test: a delete rolled back here, then retried on this member once it was
                    // primary, was answered from the record, acknowledged and not applied).
                    coordinator.retryable().forget(o);
                    continue;
                }
                if (op.equals("c")) {
                    log.warn("rollback cannot undo catalog command {} on {}", e.get("o"), ns);
                    continue;
                }
                Object id = e.get("o") instanceof Document o && o.containsKey("_id") ? o.get("_id")
                    : e.get("o2") instanceof Document o2 ? o2.get("_id") : null;
                if (id != null && (op.equals("i") || op.equals("u") || op.equals("d"))) {
                    String key = ns + "\u0000" + id;
                    touched.put(key, id);
                    nsOf.put(key, ns);
                }
            }
            Map<String, Document> now = new LinkedHashMap<>();
            for (Map.Entry<String, Object> t : touched.entrySet()) {
                String ns = nsOf.get(t.getKey());
                Document reply = source.run(Utils.getDatabaseNameFromFullName(ns), new Document("find",
                    Utils.getCollectionNameFromFullName(ns)).append("filter", new Document("_id", t.getValue())).append("limit", 1)
                    .append("$readPreference", new Document("mode", "primaryPreferred")));
                if (!(reply.get("cursor") instanceof Document cursor) || !(cursor.get("firstBatch") instanceof List<?> docs)) {
                    throw new IOException("refetch from " + source.host() + " failed: " + reply.get("errmsg"));
                }
                now.put(t.getKey(), docs.isEmpty() ? null : (Document) docs.get(0));
            }
            Map<String, List<Document>> removed = new LinkedHashMap<>();
            coordinator.storage().submit(() -> {
                for (Map.Entry<String, Object> t : touched.entrySet()) { // this member's versions, before they go
                    Document mine = coordinator.storage().findById(nsOf.get(t.getKey()), t.getValue());
                    if (mine != null) {
                        removed.computeIfAbsent(nsOf.get(t.getKey()), ns -> new ArrayList<>()).add(mine.cloneDeeply());
                    }
                }
                OplogWriter writer = coordinator.writer();
                writer.suspend(true);
                try {
                    for (Map.Entry<String, Document> t : now.entrySet()) {
                        String ns = nsOf.get(t.getKey());
                        Object id = touched.get(t.getKey());
                        String db = Utils.getDatabaseNameFromFullName(ns);
                        String coll = Utils.getCollectionNameFromFullName(ns);
                        if (t.getValue() != null) {
                            coordinator.storage().runAsSystem(db, "update", new Document("update", coll).append("updates",
                                List.of(new Document("q", new Document("_id", id)).append("u", t.getValue()).append("upsert", true))));
                        } else {
                            coordinator.storage().runAsSystem(db, "delete", new Document("delete", coll).append("deletes",
                                List.of(new Document("q", new Document("_id", id)).append("limit", 1))));
                        }
                    }
                    coordinator.oplog().truncateAfter(common.ts());
                    coordinator.oplogCursors().closeAll(); // readers find again, from before the truncation
                } finally {
                    writer.suspend(false);
                }
                return null;
            }).join();
            int kept = RollbackFiles.write(coordinator.dbPath(), removed);
            log.warn("rolled back {} oplog entries after {} ({} documents refetched from {}, {} kept in rollback files)",
                divergent.size(), common, now.size(), source.host(), kept);
        } finally {
            coordinator.rollbackState(false);
        }
    }

    /** The newest entry of this member's oplog that the source has too (same ts and term), or null. */
    private static OpTime commonPoint(ReplicationCoordinator coordinator, PeerClient source, OpTime last) throws IOException {
        int probes = 0;
        for (Document mine : coordinator.oplog().descendingFrom(last.ts())) {
            if (++probes > MAX_PROBES) {
                return null;
            }
            OpTime candidate = OpTime.ofEntry(mine);
            Document reply = source.run("local", new Document("find", "oplog.rs")
                .append("filter", new Document("ts", new Document("$gte", new BsonTimestamp(candidate.ts())))).append("limit", 1));
            if (reply.get("cursor") instanceof Document cursor && cursor.get("firstBatch") instanceof List<?> docs
                && !docs.isEmpty() && OpTime.ofEntry((Document) docs.get(0)).equals(candidate)) {
                return candidate;
            }
        }
        return OpTime.NULL.equals(last) ? OpTime.NULL : new OpTime(0, -1);
    }
}
