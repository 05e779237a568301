package io.shardstore.node.storage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.shardstore.node.storage.index.IndexScanPlan;

/**
 * The engine's in-memory collection, with the documents a failed update statement had already changed recorded.
 * The engine reports an update's changed documents to its oplog hook (our effect recorder) only after the last one;
 * a multi-update that fails on a later document (a $push on a non-array, a duplicate key) leaves the earlier ones
 * changed but unreported, so the journal and the secondaries never got them, and the members of a set differed.
 * It also plans queries (index-ordered walks, top-k sorts) and lets long reads yield (decision 0010). Writes run on
 * the storage thread under the storage write lock; reads under the read lock, possibly several at once.
 */
final class NodeCollection extends MemoryCollection {
    private static final Document MATCH_ALL = new Document();
    /** Positions ever used (the engine's list of documents never shrinks; a removed one leaves a null). */
    private int slots;
    /** The _ids changed by the update statement running now; null outside one. */
    private List<Object> changing;

    NodeCollection(MongoDatabase database, String name, CollectionOptions options, CursorRegistry cursors) {
        super(database, name, options, cursors);
    }

    /**
     * Without the engine's collection monitor: reads run side by side under the storage read lock, and every write
     * holds the write lock (decision 0010), so a read never meets a write here.
     */
    @Override
    public QueryResult handleQuery(de.bwaldvogel.mongo.backend.QueryParameters parameters) {
        Document selector = parameters.getQuerySelector();
        Document query;
        Document orderBy;
        if (selector.containsKey("query")) {
            query = (Document) selector.get("query");
            orderBy = (Document) selector.get("orderby");
        } else if (selector.containsKey("$query")) {
            query = (Document) selector.get("$query");
            orderBy = (Document) selector.get("$orderby");
        } else {
            query = selector;
            orderBy = null;
        }
        return queryDocuments(query, orderBy, parameters.getNumberToSkip(), parameters.getLimit(), parameters.getBatchSize(),
            parameters.getProjection());
    }

    /** A collection scan, by position, yielding between documents (a yield may remove or add documents). */
    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                         Document fieldSelector) {
        int end = slots;
        IntStream positions = IntStream.range(0, end);
        if (isNaturalDescending(orderBy)) {
            positions = positions.map(i -> end - 1 - i);
        }
        return matchDocumentsFromStream(fetch(positions.boxed()), query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /** Candidates from an index's lookup (a set of its own, which writes during a yield do not touch). */
    @Override
    protected QueryResult matchDocuments(Document query, Iterable<Integer> positions, Document orderBy, int numberToSkip,
                                         int limit, int batchSize, Document fieldSelector) {
        return matchDocumentsFromStream(fetch(StreamSupport.stream(positions.spliterator(), false)), query, orderBy,
            numberToSkip, limit, batchSize, fieldSelector);
    }

    private Stream<Document> fetch(Stream<Integer> positions) {
        return positions.map(p -> {
            yieldPoint();
            return documentAt(p);
        }).filter(java.util.Objects::nonNull);
    }

    /** An aggregation's input: the stages run on as the documents come, yielding between them. */
    @Override
    public Stream<Document> queryAllAsStream() {
        return super.queryAllAsStream().peek(d -> yieldPoint());
    }

    /**
     * A read yields to waiting writes, except inside one of the engine's synchronized collection methods (distinct
     * holds this collection's monitor): there a yield waited for a write that waited for the monitor, and both
     * waited for ever (a distinct during inserts, found by the plain-shard migration test). Such a read runs to its
     * end instead, and still honours maxTimeMS.
     */
    private void yieldPoint() {
        if (Thread.holdsLock(this)) {
            StorageLock.checkDeadline();
        } else {
            StorageLock.yieldPoint();
        }
    }

    @Override
    protected Integer addDocumentInternal(Document document) {
        Integer position = super.addDocumentInternal(document);
        slots = Math.max(slots, position + 1);
        return position;
    }

    /**
     * A query whose sort an ordered index gives walks that index and stops once it has what it needs (mongod's
     * IXSCAN under a LIMIT) instead of matching and sorting the whole collection; the rest goes to the engine.
     */
    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                         Document fieldSelector) {
        IndexScanPlan plan = IndexScanPlan.choose(getIndexes(), query, orderBy);
        if (plan == null) {
            return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        return scan(plan, query, numberToSkip, limit, batchSize, fieldSelector, new IndexScanCursor.ScanCounters());
    }

    QueryResult scan(IndexScanPlan plan, Document query, int numberToSkip, int limit, int batchSize, Document fieldSelector,
                     IndexScanCursor.ScanCounters counters) {
        IndexScanCursor cursor = new IndexScanCursor(cursorRegistry.generateCursorId(), this, plan, query, numberToSkip, limit,
            fieldSelector, counters);
        List<Document> first = cursor.takeDocuments(batchSize > 0 ? batchSize : 0);
        if (cursor.isEmpty()) {
            return new QueryResult(first);
        }
        cursorRegistry.add(cursor);
        return new QueryResult(first, cursor);
    }

    /**
     * A sort with a limit keeps only the best skip + limit matches as it goes (top-k, mongod's SORT with a
     * limitAmount), not every match. Ties keep their scan order, as the engine's stable sort keeps them.
     */
    @Override
    protected QueryResult matchDocumentsFromStream(Document query, Stream<Document> documentStream, int numberToSkip, int limit,
                                                   int batchSize, Comparator<Document> documentComparator, Document fieldSelector) {
        if (documentComparator == null || limit <= 0 || !IndexScanPlan.enabled) {
            return super.matchDocumentsFromStream(query, documentStream, numberToSkip, limit, batchSize, documentComparator, fieldSelector);
        }
        List<Document> best = TopK.of(documentStream.filter(d -> documentMatchesQuery(d, query)), documentComparator,
            (int) Math.min(Integer.MAX_VALUE, (long) Math.max(numberToSkip, 0) + limit));
        List<Document> page = best.subList(Math.min(best.size(), Math.max(numberToSkip, 0)), best.size());
        return super.matchDocumentsFromStream(MATCH_ALL, page.stream(), 0, 0, batchSize, null, fieldSelector);
    }

    /** A find as the node runs it, every result in one batch. */
    QueryResult query(Document filter, Document sort, int skip, int limit, Document projection) {
        return queryDocuments(filter, sort, skip, limit, 0, projection);
    }

    List<de.bwaldvogel.mongo.backend.Index<Integer>> indexes() {
        return getIndexes();
    }


    /** The stored document at {@code position}, null where it was removed. */
    Document documentAt(int position) {
        return position < 0 ? null : getDocument(position);
    }

    boolean matches(Document document, Document query) {
        return documentMatchesQuery(document, query);
    }

    /** The documents through the engine's projection (documents as they are without one). */
    List<Document> project(List<Document> documents, Document fieldSelector) {
        if (fieldSelector == null || fieldSelector.isEmpty() || documents.isEmpty()) {
            return documents;
        }
        return super.matchDocumentsFromStream(MATCH_ALL, documents.stream(), 0, 0, 0, null, fieldSelector).collectDocuments();
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
