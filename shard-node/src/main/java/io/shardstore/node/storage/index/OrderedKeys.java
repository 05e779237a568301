package io.shardstore.node.storage.index;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.TreeSet;

import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;

/**
 * An index's entries in key order, what mongod's B-tree gives an IXSCAN: (key, document position) pairs ordered
 * by the key in the engine's sort order ({@link ValueComparator}, the order {@code sort} uses), then by position,
 * so that documents with equal keys come in the order of a collection scan, as the engine's stable sort leaves
 * them. A key is one value for a one-field index and a list of values (one per field) for a compound index.
 * Not thread-safe: changed under the storage write lock only, read under the read lock.
 */
public final class OrderedKeys {
    private static final Comparator<Object> VALUES = ValueComparator.asc();

    /** One index entry. */
    public record Entry(Object key, int position) {
    }

    /** Per field, whether the index orders it ascending (mongod's key pattern {a: 1, b: -1}). */
    private final boolean[] ascending;
    private final Comparator<Entry> order;
    private final TreeSet<Entry> entries;

    public OrderedKeys(List<Boolean> ascending) {
        this.ascending = new boolean[ascending.size()];
        for (int i = 0; i < ascending.size(); i++) {
            this.ascending[i] = ascending.get(i);
        }
        this.order = (a, b) -> {
            int byKey = compareKeys(a.key(), b.key());
            return byKey != 0 ? byKey : Integer.compare(a.position(), b.position());
        };
        this.entries = new TreeSet<>(order);
    }

    public void add(Object key, int position) {
        entries.add(new Entry(key, position));
    }

    public void remove(Object key, int position) {
        entries.remove(new Entry(key, position));
    }

    public void clear() {
        entries.clear();
    }

    public int size() {
        return entries.size();
    }

    /** Index order: field by field for compound keys, each field ascending or descending as the index says. */
    public int compareKeys(Object a, Object b) {
        if (a instanceof List<?> x && b instanceof List<?> y) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                int c = VALUES.compare(x.get(i), y.get(i));
                if (c != 0) {
                    return ascending[i] ? c : -c;
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        int c = VALUES.compare(a, b);
        return ascending[0] ? c : -c;
    }

    /** The pad that sorts first in index order for field {@code i} (MinKey, or MaxKey on a descending field). */
    public Object first(int i) {
        return ascending[i] ? MinKey.getInstance() : MaxKey.getInstance();
    }

    /** The pad that sorts last in index order for field {@code i}. */
    public Object last(int i) {
        return ascending[i] ? MaxKey.getInstance() : MinKey.getInstance();
    }

    /**
     * The entries between two bounds, in index order or backwards. A bound is a key in index order (for a
     * compound index, a full tuple, padded with {@link #first} / {@link #last}); null is open. With {@code after}, the walk starts just past
     * that entry (a cursor resuming where its last batch stopped). Backwards, entries with equal keys still come
     * in ascending position, the order the engine's stable sort gives ties.
     */
    public Iterator<Entry> walk(Object start, boolean startInclusive, Object end, boolean endInclusive, boolean forward, Entry after) {
        Entry from = start == null ? null : new Entry(start, startInclusive ? Integer.MIN_VALUE : Integer.MAX_VALUE);
        Entry to = end == null ? null : new Entry(end, endInclusive ? Integer.MAX_VALUE : Integer.MIN_VALUE);
        if (from != null && to != null && order.compare(from, to) > 0) {
            return Collections.emptyIterator();
        }
        NavigableSet<Entry> range = from == null && to == null ? entries
            : from == null ? entries.headSet(to, true)
            : to == null ? entries.tailSet(from, true)
            : entries.subSet(from, true, to, true);
        if (forward) {
            return (after == null ? range : range.tailSet(after, false)).iterator();
        }
        if (after == null) {
            return new TiesAscending(range.descendingIterator());
        }
        // Resuming backwards: the rest of the last key's ties (ascending), then the smaller keys.
        Iterator<Entry> ties = entries.subSet(after, false, new Entry(after.key(), Integer.MAX_VALUE), true).iterator();
        Iterator<Entry> smaller = new TiesAscending(range.headSet(new Entry(after.key(), Integer.MIN_VALUE), false).descendingIterator());
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return ties.hasNext() || smaller.hasNext();
            }

            @Override
            public Entry next() {
                return ties.hasNext() ? ties.next() : smaller.next();
            }
        };
    }

    /** Pads a key prefix to the index's width, with each field's first pad (toFirst) or last pad. */
    public List<Object> padded(List<Object> prefix, boolean toFirst) {
        List<Object> key = new ArrayList<>(prefix);
        while (key.size() < ascending.length) {
            key.add(toFirst ? first(key.size()) : last(key.size()));
        }
        return key;
    }

    /** A descending walk that gives each run of equal keys in ascending position. */
    private final class TiesAscending implements Iterator<Entry> {
        private final Iterator<Entry> descending;
        private final List<Entry> group = new ArrayList<>();
        private Entry pending;
        private int next;

        TiesAscending(Iterator<Entry> descending) {
            this.descending = descending;
        }

        @Override
        public boolean hasNext() {
            if (next < group.size()) {
                return true;
            }
            group.clear();
            next = 0;
            Entry first = pending != null ? pending : descending.hasNext() ? descending.next() : null;
            pending = null;
            if (first == null) {
                return false;
            }
            group.add(first);
            while (descending.hasNext()) {
                Entry e = descending.next();
                if (compareKeys(e.key(), first.key()) != 0) {
                    pending = e;
                    break;
                }
                group.add(e);
            }
            Collections.reverse(group);
            return true;
        }

        @Override
        public Entry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return group.get(next++);
        }
    }
}
