package io.shardstore.node.storage.index;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A walk over an ordered index that yields documents in a requested sort order, as mongod's IXSCAN under a
 * sort it provides: equalities on the index's leading fields, then at most a range on the next one, and the
 * sort on consecutive index fields (all in the index's directions, or all reversed). Other conditions of the
 * filter are left to the matcher on each fetched document; the walk only has to visit every match.
 * <p>
 * An index that leaves some documents out (non-unique: no entry for a missing or null value; sparse) is only
 * used when the filter bounds every one of its fields with a non-null value, so no match can be missing.
 */
public final class IndexScanPlan {
    private final OrderedIndex index;
    private final boolean forward;
    /** Where the walk starts and ends in index order (before reversing for a backward sort); null: open. */
    private final Object start;
    private final boolean startInclusive;
    private final Object end;
    private final boolean endInclusive;
    private final int boundedFields;

    private IndexScanPlan(OrderedIndex index, boolean forward, Object start, boolean startInclusive, Object end,
                          boolean endInclusive, int boundedFields) {
        this.index = index;
        this.forward = forward;
        this.start = start;
        this.startInclusive = startInclusive;
        this.end = end;
        this.endInclusive = endInclusive;
        this.boundedFields = boundedFields;
    }

    /**
     * Off: every query as the engine answers it (collection or equality scan, full sort). Tests compare both ways on
     * the same data; nothing else turns it off.
     */
    public static volatile boolean enabled = true;

    /** The best ordered walk that yields {@code filter}'s matches in {@code sort}'s order, or null when none does. */
    public static IndexScanPlan choose(Iterable<?> indexes, Document filter, Document sort) {
        if (!enabled || sort == null || sort.isEmpty()) {
            return null;
        }
        List<String> sortFields = new ArrayList<>();
        List<Boolean> sortAscending = new ArrayList<>();
        for (Map.Entry<String, Object> e : sort.entrySet()) {
            if (!(e.getValue() instanceof Number n) || Math.abs(n.doubleValue()) != 1.0 || e.getKey().startsWith("$")) {
                return null; // $natural, {$meta: ...}: not an index order
            }
            sortFields.add(e.getKey());
            sortAscending.add(n.doubleValue() > 0);
        }
        IndexScanPlan best = null;
        for (Object candidate : indexes) {
            if (candidate instanceof OrderedIndex index && index.inSortOrder()) {
                IndexScanPlan plan = plan(index, filter == null ? new Document() : filter, sortFields, sortAscending);
                if (plan != null && (best == null || plan.boundedFields > best.boundedFields)) {
                    best = plan;
                }
            }
        }
        return best;
    }

    /**
     * A walk of {@code index} that visits every match of {@code filter} (in no particular order): equalities on its
     * leading fields and a range on the next, at least one of them; null when the filter bounds none.
     */
    public static IndexScanPlan forFilter(OrderedIndex index, Document filter) {
        if (!enabled || filter == null || !index.inSortOrder()) {
            return null;
        }
        IndexScanPlan plan = plan(index, filter, List.of(), List.of());
        return plan != null && plan.boundedFields > 0 ? plan : null;
    }

    private static IndexScanPlan plan(OrderedIndex index, Document filter, List<String> sortFields, List<Boolean> sortAscending) {
        List<IndexKey> keys = index.getKeys();
        int n = keys.size();
        List<Object> prefix = new ArrayList<>();
        while (prefix.size() < n) {
            Set<Object> values = EqualityLookup.keys(filter, List.of(keys.get(prefix.size()).getKey()));
            if (values == null || values.size() != 1) {
                break;
            }
            prefix.add(values.iterator().next());
        }
        int equalities = prefix.size();
        Boolean forward = sortFields.isEmpty() ? Boolean.TRUE : sortDirection(keys, equalities, sortFields, sortAscending);
        if (forward == null) {
            return null;
        }
        RangeLookup range = equalities < n ? RangeLookup.of(filter, keys.get(equalities).getKey()) : null;
        int bounded = equalities + (range != null ? 1 : 0);
        if (!index.coversEveryDocument() && bounded < n) {
            return null;
        }
        OrderedKeys ordered = index.ordered();
        if (equalities == n) {
            Object key = n == 1 ? prefix.get(0) : prefix;
            return new IndexScanPlan(index, forward, key, true, key, true, bounded);
        }
        // The range in value order, then in index order: on a descending field the high value comes first.
        Object low = range == null ? null : range.low();
        Object high = range == null ? null : range.high();
        boolean ascending = keys.get(equalities).isAscending();
        Object startValue = ascending ? low : high;
        Object endValue = ascending ? high : low;
        // An open end (no value) takes everything up to the index's end: inclusive.
        boolean startInclusive = startValue == null || (ascending ? range.lowInclusive() : range.highInclusive());
        boolean endInclusive = endValue == null || (ascending ? range.highInclusive() : range.lowInclusive());
        if (n == 1) {
            return new IndexScanPlan(index, forward, startValue, startInclusive, endValue, endInclusive, bounded);
        }
        Object start = bound(ordered, prefix, startValue, startInclusive, true);
        Object end = bound(ordered, prefix, endValue, endInclusive, false);
        return new IndexScanPlan(index, forward, start, startInclusive, end, endInclusive, bounded);
    }

    /**
     * A compound bound: the equalities, the range's value, then pads that put the bound before or after every key
     * sharing that much (an exclusive start skips them all, an inclusive one takes them all). Null: open.
     */
    private static Object bound(OrderedKeys ordered, List<Object> prefix, Object value, boolean inclusive, boolean isStart) {
        if (value == null) {
            return prefix.isEmpty() ? null : ordered.padded(prefix, isStart);
        }
        List<Object> key = new ArrayList<>(prefix);
        key.add(value);
        return ordered.padded(key, isStart == inclusive);
    }

    /**
     * Forward (true) or backward (false) when the sort is the index's last fields, starting at or before the
     * first field without an equality, every field in the index's direction or every one reversed; null otherwise.
     */
    private static Boolean sortDirection(List<IndexKey> keys, int equalities, List<String> sortFields, List<Boolean> sortAscending) {
        // The sort runs to the index's last field: documents the sort calls equal then have equal keys, and
        // come in position order, as the engine's stable sort leaves ties (a shorter sort would order them by
        // the remaining fields instead).
        int start = keys.size() - sortFields.size();
        if (start >= 0 && start <= equalities) {
            Boolean forward = null;
            boolean matches = true;
            for (int i = 0; i < sortFields.size() && matches; i++) {
                IndexKey key = keys.get(start + i);
                boolean same = key.isAscending() == sortAscending.get(i);
                matches = key.getKey().equals(sortFields.get(i)) && (forward == null || forward == same);
                forward = same;
            }
            if (matches) {
                return forward;
            }
        }
        return null;
    }

    /** The index's entries in the sort's order, from the start or just past {@code after}. */
    public Iterator<OrderedKeys.Entry> walk(OrderedKeys.Entry after) {
        return index.ordered().walk(start, startInclusive, end, endInclusive, forward, after);
    }

    /** The positions of the walk's entries, ascending (the engine's scan order), each once; null past {@code max} entries. */
    public java.util.TreeSet<Integer> positions(long max) {
        java.util.TreeSet<Integer> positions = new java.util.TreeSet<>();
        java.util.Iterator<OrderedKeys.Entry> walk = walk(null);
        long seen = 0;
        while (walk.hasNext()) {
            if (++seen > max) {
                return null;
            }
            positions.add(walk.next().position());
        }
        return positions;
    }

    /** The candidates {@link #candidates} found for the query the engine is about to ask {@code getPositions} for. */
    private static final ThreadLocal<Object[]> FOUND = new ThreadLocal<>();

    /**
     * For an index's {@code canHandle}: the positions of a bounded walk for an unsorted filter, or null when the filter
     * bounds nothing or the walk would visit more than an eighth of the index (a collection scan, which stops at a
     * limit, is then as good: the candidates must be sorted by position before the first is used). What is found is
     * kept for the {@code getPositions} call that follows on this thread ({@link #takeCandidates}).
     */
    public static java.util.TreeSet<Integer> candidates(OrderedIndex index, Document filter) {
        FOUND.remove();
        IndexScanPlan plan = forFilter(index, filter);
        java.util.TreeSet<Integer> positions = plan == null ? null : plan.positions(Math.max(64, index.ordered().size() / 8));
        if (positions != null) {
            FOUND.set(new Object[] {index, filter, positions});
        }
        return positions;
    }

    /** The candidates found by the last {@link #candidates} for this index and this very filter (walked again if gone). */
    @SuppressWarnings("unchecked")
    public static java.util.TreeSet<Integer> takeCandidates(OrderedIndex index, Document filter) {
        Object[] found = FOUND.get();
        FOUND.remove();
        if (found != null && found[0] == index && found[1] == filter) {
            return (java.util.TreeSet<Integer>) found[2];
        }
        return forFilter(index, filter).positions(Long.MAX_VALUE);
    }

    public OrderedIndex index() {
        return index;
    }

    public boolean forward() {
        return forward;
    }

    /** The bounds as explain shows them: per field, the interval walked, in the walk's direction. */
    public Document explainBounds() {
        Document bounds = new Document();
        List<IndexKey> keys = index.getKeys();
        int width = keys.size();
        int startRange = lastValue(start, width);
        int endRange = lastValue(end, width);
        for (int i = 0; i < width; i++) {
            boolean ascending = keys.get(i).isAscending();
            String from = show(component(start, i, width), ascending ? "MinKey" : "MaxKey");
            String to = show(component(end, i, width), ascending ? "MaxKey" : "MinKey");
            boolean fromIn = i != startRange || startInclusive;
            boolean toIn = i != endRange || endInclusive;
            String interval = forward ? (fromIn ? "[" : "(") + from + ", " + to + (toIn ? "]" : ")")
                : (toIn ? "[" : "(") + to + ", " + from + (fromIn ? "]" : ")");
            bounds.put(keys.get(i).getKey(), List.of(interval));
        }
        return bounds;
    }

    /** The last field a bound gives a value for (the rest are pads), -1 for an open bound. */
    private static int lastValue(Object bound, int width) {
        int last = -1;
        for (int i = 0; i < width; i++) {
            if (isBoundValue(component(bound, i, width))) {
                last = i;
            }
        }
        return last;
    }

    private static Object component(Object bound, int i, int width) {
        if (bound == null) {
            return null;
        }
        return width == 1 ? bound : ((List<?>) bound).get(i);
    }

    private static boolean isBoundValue(Object v) {
        return v != null && !(v instanceof de.bwaldvogel.mongo.bson.MinKey) && !(v instanceof de.bwaldvogel.mongo.bson.MaxKey);
    }

    private static String show(Object v, String open) {
        if (v == null || v instanceof de.bwaldvogel.mongo.bson.MinKey || v instanceof de.bwaldvogel.mongo.bson.MaxKey) {
            return v instanceof de.bwaldvogel.mongo.bson.MaxKey ? "MaxKey" : v instanceof de.bwaldvogel.mongo.bson.MinKey ? "MinKey" : open;
        }
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }
}
