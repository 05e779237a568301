package io.shardstore.node.storage;

import java.util.List;

import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A cursor over results the node has already computed, handed to the engine's cursor registry so that
 * its getMore and killCursors serve it. Unlike the engine's own cursors it may start empty: mongod keeps
 * the cursor of a {@code batchSize: 0} request open without knowing whether anything follows.
 */
final class ListCursor implements Cursor {
    private final long id;
    private List<Document> remaining;

    ListCursor(long id, List<Document> documents) {
        this.id = id;
        this.remaining = List.copyOf(documents);
    }

    @Override
    public long getId() {
        return id;
    }

    @Override
    public boolean isEmpty() {
        return remaining.isEmpty();
    }

    @Override
    public List<Document> takeDocuments(int numberToReturn) {
        int n = Math.min(Math.max(numberToReturn, 0), remaining.size());
        List<Document> batch = remaining.subList(0, n);
        remaining = remaining.subList(n, remaining.size());
        return batch;
    }
}
