package io.shardstore.router.planner;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonValue;

import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.HashedKeys;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * Which shards a filter can match, from the chunk map: equality or $in on every shard-key field targets
 * the owners of those keys (hashed fields by their hash); equality on the leading field of a compound range key,
 * or a range on the first field of a range key, targets the chunks that intersect it; anything else goes to every
 * shard that owns a chunk.
 */
public final class Targeting {
    private static final int MAX_KEYS = 512;

    private Targeting() {
    }

    /** The result: the shards, and whether they were found through the shard key. */
    public record Target(Set<String> shards, boolean byKey) {
    }

    public static Target shardsFor(ChunkMap map, BsonDocument filter) {
        String single = pointShard(map, filter);
        if (single != null) {
            return new Target(Set.of(single), true);
        }
        List<BsonDocument> keys = exactKeys(map.keyPattern(), filter);
        if (keys != null) {
            Set<String> shards = new LinkedHashSet<>();
            for (BsonDocument key : keys) {
                shards.add(map.chunkFor(key).shard());
            }
            return new Target(shards, true);
        }
        ShardKeyPattern pattern = map.keyPattern();
        if (pattern.fields().size() > 1 && !pattern.isHashed(0)) {
            // Equality on the leading field of a compound range key (the customer of {customer: 1, day: 1}): its
            // documents lie between {customer: v, day: MinKey} and {customer: v, day: MaxKey}, as mongos targets them.
            List<BsonValue> leading = equalityValues(condition(filter, pattern.fields().get(0)));
            if (leading != null && !leading.isEmpty() && leading.size() <= MAX_KEYS) {
                Set<String> shards = new LinkedHashSet<>();
                for (BsonValue v : leading) {
                    shards.addAll(map.shardsFor(bound(pattern, v, true), true, bound(pattern, v, false), true));
                }
                return new Target(shards, true);
            }
        }
        if (!pattern.isHashed(0)) {
            BsonValue cond = condition(filter, pattern.fields().get(0));
            if (cond != null && cond.isDocument() && isRange(cond.asDocument())) {
                BsonDocument c = cond.asDocument();
                BsonValue lo = c.containsKey("$gte") ? c.get("$gte") : c.get("$gt");
                // An upper bound from $lt excludes keys starting with it: below {hi, MinKey...}, exclusive, so the
                // chunk that starts at hi is not targeted. $lte keeps them all: up to {hi, MaxKey...}, inclusive.
                boolean hiInclusive = c.containsKey("$lte") || !c.containsKey("$lt");
                BsonValue hi = c.containsKey("$lte") ? c.get("$lte") : c.get("$lt");
                BsonDocument loKey = lo == null ? null : bound(pattern, lo, true);
                BsonDocument hiKey = hi == null ? null : bound(pattern, hi, !hiInclusive);
                return new Target(map.shardsFor(loKey, true, hiKey, hiInclusive), true);
            }
        }
        return new Target(map.allShards(), false);
    }

    /**
     * The point query's shortcut: on a single-field key, a filter with a plain value for that field (no operator,
     * array or regex) pins one key, found without the key combinations {@link #exactKeys} builds; else null.
     */
    public static String pointShard(ChunkMap map, BsonDocument filter) {
        ShardKeyPattern pattern = map.keyPattern();
        if (pattern.fields().size() != 1) {
            return null;
        }
        BsonValue v = condition(filter, pattern.fields().get(0));
        if (v == null || v.isDocument() || v.isArray() || v.isRegularExpression()) {
            return null;
        }
        return map.chunkForValue(pattern.isHashed(0) ? new BsonInt64(HashedKeys.hash(v)) : v).shard();
    }

    /** Every key the filter pins (equality or $in on all shard-key fields), or null when it pins none. */
    public static List<BsonDocument> exactKeys(ShardKeyPattern pattern, BsonDocument filter) {
        List<List<BsonValue>> combos = new ArrayList<>();
        combos.add(new ArrayList<>());
        for (String field : pattern.fields()) {
            List<BsonValue> values = equalityValues(condition(filter, field));
            if (values == null || values.isEmpty()) {
                return null;
            }
            List<List<BsonValue>> next = new ArrayList<>();
            for (List<BsonValue> prefix : combos) {
                for (BsonValue v : values) {
                    List<BsonValue> c = new ArrayList<>(prefix);
                    c.add(v);
                    next.add(c);
                }
            }
            if (next.size() > MAX_KEYS) {
                return null;
            }
            combos = next;
        }
        List<BsonDocument> keys = new ArrayList<>();
        for (List<BsonValue> values : combos) {
            keys.add(pattern.keyOfValues(values));
        }
        return keys;
    }

    /**
     * The condition on {@code field} in the filter: top-level or inside a top-level $and (or one-clause $or). Range
     * conditions on the field in several clauses ({$and: [{ts: {$gte: a}}, {ts: {$lt: b}}]}, as drivers write
     * Filters.and) are one range: every clause must hold, so the bounds together are the range. An operator given
     * twice keeps its first bound (wider, never missing a shard).
     */
    static BsonValue condition(BsonDocument filter, String field) {
        if (filter == null) {
            return null;
        }
        BsonValue direct = filter.get(field);
        if (direct != null && !(direct.isDocument() && isRange(direct.asDocument()))) {
            return direct; // the point query's path: no further scan of the raw request for $and / $or
        }
        BsonValue and = filter.get("$and");
        BsonValue or = filter.get("$or");
        if (and == null && or != null && or.isArray() && or.asArray().size() == 1) {
            and = or; // a one-clause $or is that clause (mongod's optimizer says so too)
        }
        if (and == null || !and.isArray()) {
            return direct;
        }
        BsonValue found = direct;
        for (BsonValue clause : and.asArray()) {
            if (clause.isDocument()) {
                BsonValue v = condition(clause.asDocument(), field);
                if (v == null) {
                    continue;
                }
                if (found == null) {
                    found = v;
                } else if (found.isDocument() && v.isDocument() && isRange(found.asDocument()) && isRange(v.asDocument())) {
                    BsonDocument merged = new BsonDocument(); // not clone(): a request's documents are raw, immutable
                    found.asDocument().forEach(merged::put);
                    v.asDocument().forEach(merged::putIfAbsent);
                    found = merged;
                } else if (!(found.isDocument() && isRange(found.asDocument()))) {
                    return found; // an equality (or other condition) already narrows it at least as much
                } else if (!(v.isDocument() && isRange(v.asDocument()))) {
                    return v;
                }
            }
        }
        return found;
    }

    private static List<BsonValue> equalityValues(BsonValue cond) {
        if (cond == null || cond.isRegularExpression() || cond.isArray()) {
            return null;
        }
        if (!cond.isDocument()) {
            return List.of(cond);
        }
        BsonDocument d = cond.asDocument();
        if (d.isEmpty() || !d.getFirstKey().startsWith("$")) {
            return List.of(cond); // equality with an embedded document
        }
        if (d.size() == 1 && d.containsKey("$eq") && !d.get("$eq").isArray() && !d.get("$eq").isRegularExpression()) {
            return List.of(d.get("$eq"));
        }
        if (d.size() == 1 && d.containsKey("$in") && d.get("$in").isArray()) {
            List<BsonValue> values = new ArrayList<>();
            for (BsonValue v : d.getArray("$in")) {
                if (v.isRegularExpression() || v.isArray()) {
                    return null;
                }
                values.add(v);
            }
            return values;
        }
        return null;
    }

    private static boolean isRange(BsonDocument cond) {
        if (cond.isEmpty()) {
            return false;
        }
        for (String op : cond.keySet()) {
            if (!op.equals("$gt") && !op.equals("$gte") && !op.equals("$lt") && !op.equals("$lte")) {
                return false;
            }
        }
        return true;
    }

    /** A key with {@code first} in the first field and MinKey (lower) or MaxKey (upper) in the others. */
    private static BsonDocument bound(ShardKeyPattern pattern, BsonValue first, boolean lower) {
        BsonDocument key = new BsonDocument(pattern.fields().get(0), first);
        for (int i = 1; i < pattern.fields().size(); i++) {
            key.append(pattern.fields().get(i), lower ? new BsonMinKey() : new BsonMaxKey());
        }
        return key;
    }
}
