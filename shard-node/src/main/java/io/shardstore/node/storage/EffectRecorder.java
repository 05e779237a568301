package io.shardstore.node.storage;

import java.util.List;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.QueryParameters;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * Hooks into the engine's write path (its {@link Oplog} interface) and turns every change into an
 * idempotent effect: the document as it now is ({@code put}) or its removal ({@code del}). Reading the
 * document back by {@code _id} after the write, instead of logging the request, makes replay exact even
 * for writes whose outcome is not deterministic ($currentDate, generated ids, partial batches).
 */
final class EffectRecorder implements Oplog {
    private final StorageEngine engine;

    EffectRecorder(StorageEngine engine) {
        this.engine = engine;
    }

    @Override
    public void handleInsert(String namespace, List<Document> documents) {
        if (!engine.wantsEffects(namespace)) {
            return;
        }
        for (Document doc : documents) {
            Object id = doc.get("_id");
            if (id != null) {
                // A document of a failed batch is absent (or is another one with that _id): put only what is stored.
                Document stored = engine.findById(namespace, id);
                if (stored != null) {
                    engine.record(JournalRecords.put(namespace, stored).append("insert", true));
                }
            }
        }
    }

    @Override
    public void handleUpdate(String namespace, Document selector, Document query, List<Object> modifiedIds) {
        for (Object id : modifiedIds) {
            engine.recordCurrentState(namespace, id);
        }
    }

    @Override
    public void handleDelete(String namespace, Document query, List<Object> deletedIds) {
        if (!engine.wantsEffects(namespace)) {
            return;
        }
        for (Object id : deletedIds) {
            engine.record(JournalRecords.delete(namespace, id));
        }
    }

    @Override
    public void handleDropCollection(String namespace) {
        if (!engine.wantsEffects(namespace)) {
            return;
        }
        engine.record(JournalRecords.command(Utils.getDatabaseNameFromFullName(namespace),
            new Document("drop", Utils.getCollectionNameFromFullName(namespace))));
    }

    @Override
    public Cursor createCursor(Document changeStreamDocument, String namespace, Aggregation aggregation) {
        throw new MongoServerError(115, "CommandNotSupported", "$changeStream is not supported by this node yet");
    }

    static Document first(MongoCollection<?> collection, Object id) {
        for (Document d : collection.handleQuery(new QueryParameters(new Document("_id", id), 0, 1))) {
            return d;
        }
        return null;
    }
}
