package io.shardstore.router.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;

import io.shardstore.sharding.BsonOrder;
import io.shardstore.sharding.ShardKeyPattern;

/** A find's {@code sort} as a comparator over documents, in MongoDB's BSON order (a missing field sorts as null). */
public final class SortOrder {

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
                int c = BsonOrder.INSTANCE.compare(value(a, k.getKey()), value(b, k.getKey()));
                if (c != 0) {
                    return c * k.getValue();
                }
            }
            return 0;
        };
    }

    private static BsonValue value(BsonDocument doc, String path) {
        BsonValue v = ShardKeyPattern.valueAt(doc, path);
        return v == null ? BsonNull.VALUE : v;
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
