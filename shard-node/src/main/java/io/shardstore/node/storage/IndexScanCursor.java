package io.shardstore.node.storage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.storage.index.IndexScanPlan;
import io.shardstore.node.storage.index.OrderedKeys;

/**
 * A find's results walked from an ordered index one batch at a time, as mongod's cursor over an IXSCAN: each
 * batch re-seeks just past the last entry it returned (so writes between batches are harmless to the walk) and
 * stops once it has what it needs. One match is looked up ahead, so that the last batch closes the cursor.
 * Runs under the storage lock, like the engine's cursors.
 */
final class IndexScanCursor implements Cursor {
    private final long id;
    private final NodeCollection collection;
    private final IndexScanPlan plan;
    private final Document query;
    private final Document projection;
    private final ScanCounters counters;
    private int toSkip;
    /** Documents still to return; negative: no limit. */
    private long remaining;
    private OrderedKeys.Entry last;
    private Document lookahead;
    /** The walk in progress, valid while the storage lock is held without a yield; null: seek again. */
    private Iterator<OrderedKeys.Entry> walk;
    private boolean exhausted;

    IndexScanCursor(long id, NodeCollection collection, IndexScanPlan plan, Document query, int skip, int limit,
                    Document projection, ScanCounters counters) {
        this.id = id;
        this.collection = collection;
        this.plan = plan;
        this.query = query;
        this.projection = projection;
        this.counters = counters;
        this.toSkip = Math.max(skip, 0);
        this.remaining = limit > 0 ? limit : -1;
    }

    @Override
    public long getId() {
        return id;
    }

    @Override
    public boolean isEmpty() {
        if (lookahead == null && !exhausted) {
            walk = null; // writes may have run since the last call
            lookahead = nextMatch();
        }
        return lookahead == null;
    }

    @Override
    public List<Document> takeDocuments(int numberToReturn) {
        int wanted = numberToReturn > 0 ? numberToReturn : Integer.MAX_VALUE;
        List<Document> batch = new ArrayList<>();
        if (lookahead != null && (collection.documentAt(last.position()) != lookahead || !collection.matches(lookahead, query))) {
            lookahead = null; // deleted or changed since it was looked up (between two getMores)
        }
        walk = null; // writes may have run since the last call
        while (batch.size() < wanted && remaining != 0) {
            Document next = lookahead;
            lookahead = null;
            if (next == null) {
                next = nextMatch();
            }
            if (next == null) {
                break;
            }
            batch.add(next);
            if (remaining > 0) {
                remaining--;
            }
        }
        if (remaining == 0) {
            exhausted = true;
        }
        return collection.project(batch, projection);
    }

    /** The next matching document past the skip, or null at the end of the walk. */
    private Document nextMatch() {
        if (exhausted || remaining == 0) {
            exhausted = true;
            return null;
        }
        if (walk == null) {
            walk = plan.walk(last); // one seek per call: only a yield lets writes change the index meanwhile
        }
        while (walk.hasNext()) {
            if (last != null && StorageLock.yieldPoint()) {
                walk = plan.walk(last); // writes ran: the index's iterators are stale, seek again
                if (!walk.hasNext()) {
                    break;
                }
            }
            OrderedKeys.Entry entry = walk.next();
            last = entry;
            counters.keysExamined++;
            Document document = collection.documentAt(entry.position());
            if (document == null) {
                continue;
            }
            counters.docsExamined++;
            if (!collection.matches(document, query)) {
                continue;
            }
            if (toSkip > 0) {
                toSkip--;
                continue;
            }
            return document;
        }
        exhausted = true;
        return null;
    }

    /** Keys and documents this walk examined, for explain's executionStats. */
    static final class ScanCounters {
        long keysExamined;
        long docsExamined;
    }
}
