package io.shardstore.node.storage.index;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import de.bwaldvogel.mongo.bson.Document;

/**
 * The engine's unique index (a hash map from key to position, which stays the authority for uniqueness and
 * point lookups) with its entries also kept in key order, for range scans in index order: the {@code _id}
 * index of every collection is one. The ordered copy costs a tree insertion per write.
 */
public final class OrderedUniqueIndex extends MemoryUniqueIndex implements OrderedIndex {
    private final OrderedKeys ordered;
    /** Sticky, as mongod's multikey flag: some document had an array under an indexed field. */
    private boolean multikey;

    public OrderedUniqueIndex(String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        ordered = new OrderedKeys(keys.stream().map(IndexKey::isAscending).toList());
    }

    @Override
    public OrderedKeys ordered() {
        return ordered;
    }

    @Override
    public boolean inSortOrder() {
        return !multikey;
    }

    @Override
    public boolean coversEveryDocument() {
        return !isSparse();
    }

    @Override
    public synchronized void add(Document document, Integer position, MongoCollection<Integer> collection) {
        super.add(document, position, collection);
        if (!multikey) {
            for (IndexKey key : getKeys()) {
                if (Utils.getSubdocumentValue(document, key.getKey()) instanceof Collection) {
                    multikey = true;
                }
            }
        }
    }

    /**
     * Besides the engine's lookups (a query on exactly the index's fields, by equality or $in), any filter that
     * bounds the index's leading fields (a range, or an equality beside other conditions) takes its candidates
     * from a walk of the ordered keys, in position order as the engine's scan would give them.
     */
    @Override
    public boolean canHandle(Document query) {
        return super.canHandle(query) || IndexScanPlan.candidates(this, query) != null;
    }

    @Override
    public Iterable<Integer> getPositions(Document query) {
        if (super.canHandle(query)) {
            return super.getPositions(query);
        }
        return IndexScanPlan.takeCandidates(this, query);
    }

    @Override
    protected boolean putKeyPosition(KeyValue keyValue, Integer position) {
        boolean added = super.putKeyPosition(keyValue, position);
        if (added) {
            ordered.add(keyOf(keyValue), position);
        }
        return added;
    }

    @Override
    protected Integer removeDocument(KeyValue keyValue) {
        Integer position = super.removeDocument(keyValue);
        if (position != null) {
            ordered.remove(keyOf(keyValue), position);
        }
        return position;
    }

    @Override
    public void drop() {
        super.drop();
        ordered.clear();
    }

    /** One value for a one-field index, the list of values for a compound one (as {@link NonUniqueIndex} keys). */
    private static Object keyOf(KeyValue keyValue) {
        if (keyValue.size() == 1) {
            return keyValue.get(0);
        }
        List<Object> tuple = new ArrayList<>(keyValue.size());
        keyValue.forEach(tuple::add);
        return tuple;
    }
}
