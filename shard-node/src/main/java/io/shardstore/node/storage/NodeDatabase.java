package io.shardstore.node.storage;

import java.util.List;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import io.shardstore.node.storage.index.NonUniqueIndex;
import io.shardstore.node.storage.index.OrderedUniqueIndex;

/**
 * The engine's in-memory database, with real non-unique indexes where the engine keeps none (decision 0002) and
 * collections that report a failed update's changes ({@link NodeCollection}).
 */
final class NodeDatabase extends MemoryDatabase {

    NodeDatabase(String databaseName, CursorRegistry cursorRegistry) {
        super(databaseName, cursorRegistry);
    }

    @Override
    protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
        // The superclass's registry: this runs from its constructor too (system collections).
        return new NodeCollection(this, collectionName, options, cursorRegistry);
    }

    /** Unique indexes (the _id index among them) also keep their keys in order, for range scans in index order. */
    @Override
    protected Index<Integer> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
        return new OrderedUniqueIndex(indexName, keys, sparse);
    }

    @Override
    protected Index<Integer> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
        return new NonUniqueIndex(indexName, keys, sparse);
    }

    /**
     * Only {_id: 1} (or -1) is the collection's own _id index. The engine took any key on _id alone for it and, under
     * another name, ignored the index while createIndexes answered ok: {_id: "hashed"} (the index behind the most
     * common shard key) was silently never built. It is a secondary index like any other hashed one.
     */
    @Override
    protected boolean isPrimaryKeyIndex(de.bwaldvogel.mongo.bson.Document key) {
        return key.keySet().equals(java.util.Set.of("_id")) && key.get("_id") instanceof Number;
    }
}
