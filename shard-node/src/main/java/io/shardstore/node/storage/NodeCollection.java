package io.shardstore.node.storage;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * The engine's in-memory collection, with the documents a failed update statement had already changed recorded.
 * The engine reports an update's changed documents to its oplog hook (our effect recorder) only after the last one;
 * a multi-update that fails on a later document (a $push on a non-array, a duplicate key) leaves the earlier ones
 * changed but unreported, so the journal and the secondaries never got them, and the members of a set differed.
 * Storage thread only, like the rest of the engine.
 */
final class NodeCollection extends MemoryCollection {
    /** The _ids changed by the update statement running now; null outside one. */
    private List<Object> changing;

    NodeCollection(MongoDatabase database, String name, CollectionOptions options, CursorRegistry cursors) {
        super(database, name, options, cursors);
    }

    @Override
    public Document updateDocuments(Document selector, Document update, ArrayFilters arrayFilters, boolean multi, boolean upsert,
                                    Oplog oplog) {
        List<Object> changed = new ArrayList<>();
        changing = changed;
        try {
            return super.updateDocuments(selector, update, arrayFilters, multi, upsert, oplog);
        } catch (RuntimeException e) {
            if (!changed.isEmpty()) {
                oplog.handleUpdate(getFullName(), selector, update, changed);
            }
            throw e;
        } finally {
            changing = null;
        }
    }

    @Override
    protected void handleUpdate(Integer position, Document oldDocument, Document newDocument) {
        super.handleUpdate(position, oldDocument, newDocument);
        if (changing != null) {
            changing.add(newDocument.get("_id"));
        }
    }
}
