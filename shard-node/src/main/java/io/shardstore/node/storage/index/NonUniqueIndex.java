package io.shardstore.node.storage.index;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A non-unique secondary index for the in-memory engine (decision 0002): a multimap from key (see
 * {@link IndexKeys}) to document positions, kept up to date by the engine's add / update / remove calls
 * and consulted by its query path ({@link #canHandle}, {@link #getPositions}) for equality and $in
 * lookups (see {@link EqualityLookup}). Positions come back in ascending order, the order of a collection
 * scan, so a query answers in the same order with the index as without it.
 * <p>
 * The engine identifies a document to remove by its content only, so each document's position and keys
 * are also kept under its normalized {@code _id} (unique in a collection, as the {@code _id} index enforces).
 */
public final class NonUniqueIndex extends Index<Integer> implements OrderedIndex {
    private final List<String> fields = new ArrayList<>();
    private final List<List<String>> paths = new ArrayList<>();
    private final Map<Object, TreeSet<Integer>> positionsByKey = new HashMap<>();
    private final Map<KeyValue, Indexed> byId = new HashMap<>();
    /**
     * For a compound index, per key of all fields but the last, the last field's values in the engine's value
     * order: serves an equality on the leading fields with a range on the last ({@link RangeLookup}).
     */
    private final Map<List<Object>, TreeMap<Object, TreeSet<Integer>>> byPrefix = new HashMap<>();
    /** Documents with too many keys to list: candidates for every lookup. */
    private final TreeSet<Integer> everywhere = new TreeSet<>();
    /** Every (key, position) in key order, for scans in index order. */
    private final OrderedKeys ordered;
    /** Documents with more than one key (array values): while there are any, key order is not sort order. */
    private int multikeyDocuments;
    private long entries;

    /** orderedKey: the document's one key in sort order (nulls for missing values); null for a multikey document. */
    private record Indexed(int position, Set<Object> keys, Object orderedKey) {
    }

    public NonUniqueIndex(String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        ordered = new OrderedKeys(keys.stream().map(IndexKey::isAscending).toList());
        for (IndexKey key : keys) {
            fields.add(key.getKey());
            paths.add(IndexKeys.split(key.getKey()));
        }
    }

    /** Equality lookups, ranges on the last field of a compound index, and any other bounded walk of the ordered keys. */
    @Override
    public boolean canHandle(Document query) {
        return usable() && (equalityOrPrefix(query) || IndexScanPlan.candidates(this, query) != null);
    }

    private boolean equalityOrPrefix(Document query) {
        return EqualityLookup.keys(query, fields) != null || prefixes(query) != null;
    }

    /** For a range on the last field of a compound index: the keys of the leading fields, or null. */
    private Set<Object> prefixes(Document query) {
        if (fields.size() < 2 || RangeLookup.of(query, fields.get(fields.size() - 1)) == null) {
            return null;
        }
        List<String> leading = fields.subList(0, fields.size() - 1);
        Set<Object> keys = EqualityLookup.keys(query, leading);
        if (keys == null || leading.size() > 1) {
            return keys;
        }
        Set<Object> lists = new java.util.LinkedHashSet<>();
        keys.forEach(k -> lists.add(List.of(k)));
        return lists;
    }

    @Override
    public Iterable<Integer> getPositions(Document query) {
        if (!equalityOrPrefix(query)) {
            return IndexScanPlan.takeCandidates(this, query);
        }
        TreeSet<Integer> positions = new TreeSet<>(everywhere);
        Set<Object> equal = EqualityLookup.keys(query, fields);
        if (equal == null) {
            RangeLookup range = RangeLookup.of(query, fields.get(fields.size() - 1));
            for (Object prefix : prefixes(query)) {
                TreeMap<Object, TreeSet<Integer>> values = byPrefix.get(prefix);
                if (values != null) {
                    range.of(values).values().forEach(positions::addAll);
                }
            }
            return positions;
        }
        for (Object key : equal) {
            TreeSet<Integer> atKey = positionsByKey.get(key);
            if (atKey != null) {
                positions.addAll(atKey);
            }
        }
        return positions;
    }

    @Override
    public Integer getPosition(Document document) {
        Indexed indexed = byId.get(idOf(document));
        return indexed == null ? null : indexed.position();
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Integer> collection) {
        // Not unique: nothing can conflict.
    }

    @Override
    public void add(Document document, Integer position, MongoCollection<Integer> collection) {
        Set<Object> keys = IndexKeys.of(document, paths);
        // A sparse index's walks never need a document without a value (see coversEveryDocument).
        Object orderedKey = isSparse() && keys != null && keys.isEmpty() ? IndexKeys.NO_KEY : IndexKeys.sortKey(document, paths);
        Indexed indexed = new Indexed(position, keys == null ? Set.of() : keys, orderedKey);
        byId.put(idOf(document), indexed);
        if (keys == null) {
            everywhere.add(position);
        }
        if (indexed.orderedKey() == null) {
            multikeyDocuments++;
        } else if (indexed.orderedKey() != IndexKeys.NO_KEY) {
            ordered.add(indexed.orderedKey(), position);
        }
        for (Object key : indexed.keys()) {
            positionsByKey.computeIfAbsent(key, k -> new TreeSet<>()).add(position);
            if (key instanceof List<?> tuple && tuple.get(tuple.size() - 1) != null) {
                byPrefix.computeIfAbsent(prefixOf(tuple), k -> new TreeMap<>(ValueComparator.asc()))
                    .computeIfAbsent(tuple.get(tuple.size() - 1), k -> new TreeSet<>()).add(position);
            }
        }
        entries += weight(indexed);
    }

    @Override
    public Integer remove(Document document) {
        Indexed indexed = byId.remove(idOf(document));
        if (indexed == null) {
            return null;
        }
        entries -= weight(indexed); // before leaving "everywhere", which the weight depends on
        everywhere.remove(indexed.position());
        if (indexed.orderedKey() == null) {
            multikeyDocuments--;
        } else if (indexed.orderedKey() != IndexKeys.NO_KEY) {
            ordered.remove(indexed.orderedKey(), indexed.position());
        }
        for (Object key : indexed.keys()) {
            TreeSet<Integer> atKey = positionsByKey.get(key);
            if (atKey != null && atKey.remove(indexed.position()) && atKey.isEmpty()) {
                positionsByKey.remove(key);
            }
            if (key instanceof List<?> tuple && tuple.get(tuple.size() - 1) != null) {
                List<Object> prefix = prefixOf(tuple);
                TreeMap<Object, TreeSet<Integer>> values = byPrefix.get(prefix);
                TreeSet<Integer> atValue = values == null ? null : values.get(tuple.get(tuple.size() - 1));
                if (atValue != null && atValue.remove(indexed.position()) && atValue.isEmpty()) {
                    values.remove(tuple.get(tuple.size() - 1));
                    if (values.isEmpty()) {
                        byPrefix.remove(prefix);
                    }
                }
            }
        }
        return indexed.position();
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Integer> collection) {
        // Not unique: nothing can conflict.
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, Integer position, MongoCollection<Integer> collection) {
        // Keys are recomputed rather than diffed: an update is one removal and one addition at the same position.
        remove(oldDocument);
        add(newDocument, position, collection);
    }

    /** Index entries, as validate's keysPerIndex counts them. */
    @Override
    public long getCount() {
        return entries;
    }

    /**
     * A document's entries as mongod counts them: one per key, and one (the null key, which lookups never
     * use and so is not stored) for a document without any value there, unless the index is sparse.
     */
    private long weight(Indexed indexed) {
        if (!indexed.keys().isEmpty()) {
            return indexed.keys().size();
        }
        return isSparse() && !everywhere.contains(indexed.position()) ? 0 : 1;
    }

    @Override
    public boolean isEmpty() {
        return byId.isEmpty();
    }

    @Override
    public long getDataSize() {
        return getCount();
    }

    @Override
    public void drop() {
        positionsByKey.clear();
        byPrefix.clear();
        byId.clear();
        everywhere.clear();
        ordered.clear();
        multikeyDocuments = 0;
        entries = 0;
    }

    @Override
    public OrderedKeys ordered() {
        return ordered;
    }

    @Override
    public boolean inSortOrder() {
        return usable() && multikeyDocuments == 0 && everywhere.isEmpty();
    }

    /**
     * In key order every document has an entry (missing values as null, as mongod indexes them), except in a sparse
     * index, which leaves out documents without any of its fields.
     */
    @Override
    public boolean coversEveryDocument() {
        return !isSparse();
    }

    /** Paths with an empty part ("a..b") are read differently by the engine's matcher; those indexes stay unused. */
    private boolean usable() {
        return paths.stream().noneMatch(path -> path.contains(""));
    }

    private static List<Object> prefixOf(List<?> tuple) {
        return new java.util.ArrayList<>(tuple.subList(0, tuple.size() - 1));
    }

    private static KeyValue idOf(Document document) {
        return new KeyValue(Collections.singletonList(document.get("_id"))).normalized();
    }
}
