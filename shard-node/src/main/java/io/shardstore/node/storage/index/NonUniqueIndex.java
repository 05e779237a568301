package io.shardstore.node.storage.index;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
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
public final class NonUniqueIndex extends Index<Integer> {
    private final List<String> fields = new ArrayList<>();
    private final List<List<String>> paths = new ArrayList<>();
    private final Map<Object, TreeSet<Integer>> positionsByKey = new HashMap<>();
    private final Map<KeyValue, Indexed> byId = new HashMap<>();
    /** Documents with too many keys to list: candidates for every lookup. */
    private final TreeSet<Integer> everywhere = new TreeSet<>();
    private long entries;

    private record Indexed(int position, Set<Object> keys) {
    }

    public NonUniqueIndex(String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        for (IndexKey key : keys) {
            fields.add(key.getKey());
            paths.add(IndexKeys.split(key.getKey()));
        }
    }

    @Override
    public boolean canHandle(Document query) {
        return usable() && EqualityLookup.keys(query, fields) != null;
    }

    @Override
    public Iterable<Integer> getPositions(Document query) {
        TreeSet<Integer> positions = new TreeSet<>(everywhere);
        for (Object key : EqualityLookup.keys(query, fields)) {
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
        Indexed indexed = new Indexed(position, keys == null ? Set.of() : keys);
        byId.put(idOf(document), indexed);
        if (keys == null) {
            everywhere.add(position);
        }
        for (Object key : indexed.keys()) {
            positionsByKey.computeIfAbsent(key, k -> new TreeSet<>()).add(position);
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
        for (Object key : indexed.keys()) {
            TreeSet<Integer> atKey = positionsByKey.get(key);
            if (atKey != null && atKey.remove(indexed.position()) && atKey.isEmpty()) {
                positionsByKey.remove(key);
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
        byId.clear();
        everywhere.clear();
        entries = 0;
    }

    /** Paths with an empty part ("a..b") are read differently by the engine's matcher; those indexes stay unused. */
    private boolean usable() {
        return paths.stream().noneMatch(path -> path.contains(""));
    }

    private static KeyValue idOf(Document document) {
        return new KeyValue(Collections.singletonList(document.get("_id"))).normalized();
    }
}
