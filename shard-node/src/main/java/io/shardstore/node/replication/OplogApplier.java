package io.shardstore.node.replication;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import io.shardstore.node.storage.StorageEngine;

/**
 * Applies received oplog entries on a secondary (storage thread). Every entry is idempotent: "i"/"u" store the whole
 * document by _id, "d" removes by _id, "c" runs the catalog command again. The storage engine still journals the
 * effects; the oplog writer is suspended, and the entry itself is appended to this member's oplog with its own ts.
 */
final class OplogApplier {
    private static final Logger log = LoggerFactory.getLogger(OplogApplier.class);

    private OplogApplier() {
    }

    static boolean apply(ReplicationCoordinator coordinator, List<Document> entries) {
        if (!coordinator.mayApply()) {
            return false;
        }
        StorageEngine storage = coordinator.storage();
        OplogWriter writer = coordinator.writer();
        writer.suspend(true);
        try {
            for (Document entry : entries) {
                if (OplogStore.tsOf(entry) != 0 && Long.compareUnsigned(OplogStore.tsOf(entry), coordinator.lastApplied().ts()) <= 0) {
                    continue; // already have it
                }
                applyOne(storage, entry);
                if ("n".equals(entry.get("op")) && entry.get("o") instanceof Document o) {
                    coordinator.retryable().applied(o);
                }
                coordinator.oplog().append(entry);
                writer.advanceTo(OplogStore.tsOf(entry));
            }
        } finally {
            writer.suspend(false);
        }
        return true;
    }

    private static void applyOne(StorageEngine storage, Document entry) {
        String op = String.valueOf(entry.get("op"));
        String ns = String.valueOf(entry.get("ns"));
        Document o = entry.get("o") instanceof Document d ? d : new Document();
        try {
            switch (op) {
                case "i", "u" -> {
                    Document doc = o.cloneDeeply();
                    Object id = doc.containsKey("_id") ? doc.get("_id")
                        : entry.get("o2") instanceof Document o2 ? o2.get("_id") : null;
                    Document update = new Document("q", new Document("_id", id)).append("u", doc).append("upsert", true);
                    storage.runAsSystem(Utils.getDatabaseNameFromFullName(ns), "update",
                        new Document("update", Utils.getCollectionNameFromFullName(ns)).append("updates", List.of(update)));
                }
                case "d" -> {
                    Document delete = new Document("q", new Document("_id", o.get("_id"))).append("limit", 1);
                    storage.runAsSystem(Utils.getDatabaseNameFromFullName(ns), "delete",
                        new Document("delete", Utils.getCollectionNameFromFullName(ns)).append("deletes", List.of(delete)));
                }
                case "c" -> {
                    Document cmd = o.cloneDeeply();
                    String db = Utils.getDatabaseNameFromFullName(ns);
                    storage.runAsSystem(db, cmd.keySet().iterator().next(), cmd);
                    storage.record(io.shardstore.node.storage.JournalRecords.command(db, o.cloneDeeply()));
                }
                default -> {
                    // "n": nothing to apply
                }
            }
        } catch (MongoServerException e) {
            log.debug("oplog entry {} applied with: {}", entry, e.getMessage());
        }
    }
}
