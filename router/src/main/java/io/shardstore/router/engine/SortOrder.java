package io.shardstore.router.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonType;
import org.bson.BsonValue;

import io.shardstore.sharding.BsonOrder;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * A find's {@code sort} as a comparator over documents, comparing as MongoDB (and so each shard) sorts: BSON
 * order of the sort key, a missing field sorting as null, and an array sorting by its smallest element when
 * ascending and its largest when descending (an empty array before null). The merge must compare exactly as
 * the shards ordered their streams, or it interleaves them wrongly.
 */
public final class SortOrder {
    /** The sort key of an empty array: below null (and above MinKey). Compared by identity. */
    private static final BsonValue EMPTY_ARRAY = new BsonArray();

    private SortOrder() {
    }

    public static Comparator<BsonDocument> of(BsonDocument sort) {
        if (sort == null || sort.isEmpty()) {
            return null;
        }
        List<Map.Entry<String, Integer>> keys = new ArrayList<>();
        for (Map.Entry<String, BsonValue> e : sort.entrySet()) {
            int dir = e.getValue().isNumber() && e.getValue().asNumber().doubleValue() < 0 ? -1 : 1;
            keys.add(Map.entry(e.getKey(), dir));
        }
        return (a, b) -> {
            for (Map.Entry<String, Integer> k : keys) {
                int dir = k.getValue();
                int c = compareKeys(sortKey(value(a, k.getKey()), dir), sortKey(value(b, k.getKey()), dir));
                if (c != 0) {
                    return c * dir;
                }
            }
            return 0;
        };
    }

    private static BsonValue value(BsonDocument doc, String path) {
        BsonValue v = ShardKeyPattern.valueAt(doc, path);
        return v == null ? BsonNull.VALUE : v;
    }

    /** What a value sorts by in direction {@code dir}: itself, or for an array its first element in that direction. */
    private static BsonValue sortKey(BsonValue v, int dir) {
        if (!v.isArray()) {
            return v;
        }
        BsonValue first = null;
        for (BsonValue e : v.asArray()) {
            if (first == null || BsonOrder.INSTANCE.compare(e, first) * dir < 0) {
                first = e;
            }
        }
        return first == null ? EMPTY_ARRAY : first;
    }

    private static int compareKeys(BsonValue a, BsonValue b) {
        if (a == EMPTY_ARRAY || b == EMPTY_ARRAY) {
            if (a == b) {
                return 0;
            }
            BsonValue other = a == EMPTY_ARRAY ? b : a;
            int emptyFirst = other.getBsonType() == BsonType.MIN_KEY ? 1 : -1;
            return a == EMPTY_ARRAY ? emptyFirst : -emptyFirst;
        }
        return BsonOrder.INSTANCE.compare(a, b);
    }

    /** Whether the sort uses only plain ascending/descending keys (not $meta), so the router can merge by it. */
    public static boolean mergeable(BsonDocument sort) {
        for (BsonValue v : sort.values()) {
            if (!v.isNumber()) {
                return false;
            }
        }
        return true;
    }
}
