package io.shardstore.node.replication;

import java.util.List;

import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.MongoServerException;
import io.shardstore.node.storage.StorageEngine;
import io.shardstore.protocol.ErrorCode;

/**
 * Applies received oplog entries on a secondary (storage thread). Every entry is idempotent: "i"/"u" store the whole
 * document by _id, "d" removes by _id, "c" runs the catalog command again. The storage engine still journals the
 * effects; the oplog writer is suspended, and the entry itself is appended to this member's oplog with its own ts.
 *
 * An entry is applied, or the batch stops there with an {@link OplogApplyException}: the entries before it stay
 * applied (and in this member's oplog), it and the ones after it are not. The only outcomes accepted besides
 * success are those of a catalog command meeting its own effect again (see {@link #alreadyDone}), and, during an
 * initial sync, a duplicate key (the clone may hold a later state of the documents the entry touches).
 */
final class OplogApplier {

    private OplogApplier() {
    }

    static boolean apply(ReplicationCoordinator coordinator, List<Document> entries) {
        if (!coordinator.mayApply()) {
            return false;
        }
        boolean initialSync = coordinator.state() == MemberState.STARTUP2;
        StorageEngine storage = coordinator.storage();
        OplogWriter writer = coordinator.writer();
        writer.suspend(true);
        try {
            for (Document entry : entries) {
                if (OplogStore.tsOf(entry) != 0 && Long.compareUnsigned(OplogStore.tsOf(entry), coordinator.lastApplied().ts()) <= 0) {
                    if (have(coordinator, entry)) {
                        continue; // already have it
                    }
                    // Not older than our last entry, yet not ours: another history (a deposed primary's own last
                    // entries can share a timestamp with the new primary's first ones). Skipping it would lose it
                    // silently (found by the fault test: an acknowledged insert never reached one member, which was
                    // elected later); the fetcher rolls back instead.
                    throw new OplogDivergedException(OpTime.ofEntry(entry));
                }
                applyOne(storage, entry, initialSync);
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

    private static void applyOne(StorageEngine storage, Document entry, boolean initialSync) {
        String op = String.valueOf(entry.get("op"));
        String ns = String.valueOf(entry.get("ns"));
        Document o = entry.get("o") instanceof Document d ? d : new Document();
        String cmdName = "c".equals(op) && !o.isEmpty() ? o.keySet().iterator().next() : null;
        try {
            switch (op) {
                case "i", "u" -> {
                    Document doc = o.cloneDeeply();
                    Object id = doc.containsKey("_id") ? doc.get("_id")
                        : entry.get("o2") instanceof Document o2 ? o2.get("_id") : null;
                    Document update = new Document("q", new Document("_id", id)).append("u", doc).append("upsert", true);
                    checkWrite(entry, storage.runAsSystem(Utils.getDatabaseNameFromFullName(ns), "update",
                        new Document("update", Utils.getCollectionNameFromFullName(ns)).append("updates", List.of(update))), initialSync);
                }
                case "d" -> {
                    Document delete = new Document("q", new Document("_id", o.get("_id"))).append("limit", 1);
                    checkWrite(entry, storage.runAsSystem(Utils.getDatabaseNameFromFullName(ns), "delete",
                        new Document("delete", Utils.getCollectionNameFromFullName(ns)).append("deletes", List.of(delete))), initialSync);
                }
                case "c" -> {
                    if (cmdName == null) {
                        throw new OplogApplyException(entry, "a command entry without a command", null);
                    }
                    String db = Utils.getDatabaseNameFromFullName(ns);
                    // The engine adds fields to some commands it runs (index specs): it gets a copy.
                    Document reply = storage.runAsSystem(db, cmdName, o.cloneDeeply());
                    if (!(reply.get("ok") instanceof Number ok) || ok.doubleValue() != 1.0) {
                        throw new OplogApplyException(entry, "the command answered " + reply, null);
                    }
                    storage.record(io.shardstore.node.storage.JournalRecords.command(db, o.cloneDeeply()));
                }
                case "n" -> {
                    // nothing to apply
                }
                default -> throw new OplogApplyException(entry, "unknown op '" + op + "'", null);
            }
        } catch (OplogApplyException e) {
            throw e;
        } catch (MongoServerException e) {
            if (cmdName != null && alreadyDone(cmdName, e, initialSync)) {
                return;
            }
            throw new OplogApplyException(entry, e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new OplogApplyException(entry, e.toString(), e);
        }
    }

    /** An insert / update / delete applied with a write error did not happen: that is a failure too. */
    private static void checkWrite(Document entry, Document reply, boolean initialSync) {
        if (reply.get("writeErrors") instanceof List<?> errors && !errors.isEmpty()) {
            boolean duplicate = errors.get(0) instanceof Document e && e.get("code") instanceof Number code
                && code.intValue() == ErrorCode.DuplicateKey.code();
            if (initialSync && duplicate) {
                return; // a later entry brings the documents to the clone's state again
            }
            throw new OplogApplyException(entry, "write error " + errors.get(0), null);
        }
        if (!(reply.get("ok") instanceof Number ok) || ok.doubleValue() != 1.0) {
            throw new OplogApplyException(entry, "the write answered " + reply, null);
        }
    }

    /**
     * A catalog command that finds its change already made, as when an initial sync applies entries its clone already
     * holds: creating an existing collection, dropping a missing collection (the engine's code-less "ns not found") or
     * index, and in an initial sync renaming a collection the clone has under its new name already.
     */
    static boolean alreadyDone(String cmdName, MongoServerException e, boolean initialSync) {
        int code = e instanceof MongoServerError error ? error.getCode() : 0;
        return switch (cmdName) {
            case "renameCollection" -> initialSync && code == 0 && "source namespace does not exist".equals(e.getMessageWithoutErrorCode());
            case "create" -> code == ErrorCode.NamespaceExists.code();
            case "drop" -> code == ErrorCode.NamespaceNotFound.code() || (code == 0 && "ns not found".equals(e.getMessageWithoutErrorCode()));
            case "dropIndexes", "deleteIndexes" -> code == ErrorCode.IndexNotFound.code() || code == ErrorCode.NamespaceNotFound.code()
                || (code == 0 && "ns not found".equals(e.getMessageWithoutErrorCode()));
            default -> false;
        };
    }

    /** Whether this member's oplog holds this very entry (same timestamp and term). */
    private static boolean have(ReplicationCoordinator coordinator, Document entry) {
        List<Document> mine = coordinator.oplog().after(OplogStore.tsOf(entry), true, 1);
        return !mine.isEmpty() && OplogStore.tsOf(mine.get(0)) == OplogStore.tsOf(entry)
            && OpTime.ofEntry(mine.get(0)).equals(OpTime.ofEntry(entry));
    }

    /** A fetched entry that is not on this member's history although not newer than its last entry. */
    static final class OplogDivergedException extends RuntimeException {
        OplogDivergedException(OpTime at) {
            super("the sync source's entry " + at + " is not in this member's oplog although not newer than its last entry");
        }
    }
}
