package io.shardstore.node.storage.index;

import java.util.Map;

import de.bwaldvogel.mongo.bson.Document;

/**
 * A range on the last field of a compound index whose other fields have equalities ({@code uuid: U, lastmod:
 * {$gt: T}}, what the router asks config.chunks on every refresh). The bounds are normalized like index keys;
 * a bound left null is open. The engine still applies the whole query to each candidate, so the range only has
 * to keep every match (values of other types in between are filtered out there). Null and missing values are
 * not in the index's ordered values: a range with a non-null bound never matches them.
 */
record RangeLookup(Object low, boolean lowInclusive, Object high, boolean highInclusive) {

    /**
     * The range the query puts on {@code field}, or null when it has none an index can use. Every condition at the
     * top level and in a top-level {@code $and} must hold, so their bounds combine: the highest low, the lowest high
     * ({@code {$and: [{f: {$gte: a}}, {f: {$lt: b}}]}}, as drivers write a range, is [a, b)).
     */
    static RangeLookup of(Document query, String field) {
        RangeLookup range = null;
        if (query.get(field) instanceof Document d) {
            range = bounds(d);
        }
        if (query.get("$and") instanceof java.util.List<?> clauses) {
            for (Object clause : clauses) {
                if (clause instanceof Document d) {
                    RangeLookup inner = of(d, field);
                    range = range == null ? inner : inner == null ? range : range.and(inner);
                }
            }
        }
        return range;
    }

    /** Both ranges at once: a range that holds every value both hold (in the engine's value order). */
    private RangeLookup and(RangeLookup other) {
        java.util.Comparator<Object> order = de.bwaldvogel.mongo.backend.ValueComparator.asc();
        Object lo = low;
        boolean loIn = lowInclusive;
        if (other.low != null && (lo == null || order.compare(other.low, lo) > 0
            || (order.compare(other.low, lo) == 0 && !other.lowInclusive))) {
            lo = other.low;
            loIn = other.lowInclusive;
        }
        Object hi = high;
        boolean hiIn = highInclusive;
        if (other.high != null && (hi == null || order.compare(other.high, hi) < 0
            || (order.compare(other.high, hi) == 0 && !other.highInclusive))) {
            hi = other.high;
            hiIn = other.highInclusive;
        }
        return new RangeLookup(lo, loIn, hi, hiIn);
    }

    private static RangeLookup bounds(Document condition) {
        Object low = null;
        Object high = null;
        boolean lowInclusive = false;
        boolean highInclusive = false;
        for (Map.Entry<String, Object> op : condition.entrySet()) {
            Object v = op.getValue();
            if (!IndexKeys.isScalar(v) || v instanceof de.bwaldvogel.mongo.bson.MinKey || v instanceof de.bwaldvogel.mongo.bson.MaxKey) {
                return null; // null, MinKey and MaxKey bounds also match null or missing values, which are not in the tree
            }
            switch (op.getKey()) {
                case "$gt", "$gte" -> {
                    low = IndexKeys.normalize(v);
                    lowInclusive = op.getKey().equals("$gte");
                }
                case "$lt", "$lte" -> {
                    high = IndexKeys.normalize(v);
                    highInclusive = op.getKey().equals("$lte");
                }
                default -> {
                    return null;
                }
            }
        }
        return low == null && high == null ? null : new RangeLookup(low, lowInclusive, high, highInclusive);
    }

    /** The part of {@code values} (ordered by the engine's value order) inside this range. */
    <V> java.util.NavigableMap<Object, V> of(java.util.NavigableMap<Object, V> values) {
        if (low != null && high != null) {
            if (values.comparator().compare(low, high) > 0) {
                return java.util.Collections.emptyNavigableMap();
            }
            return values.subMap(low, lowInclusive, high, highInclusive);
        }
        return low != null ? values.tailMap(low, lowInclusive) : values.headMap(high, highInclusive);
    }
}
