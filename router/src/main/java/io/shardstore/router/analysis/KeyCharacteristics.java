package io.shardstore.router.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.sharding.KeyOrder;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * analyzeShardKey's {@code keyCharacteristics} for a candidate key, computed from the key values of the collection's
 * documents (or a sample of them) as each shard stores them, in record order:
 * <ul>
 * <li>cardinality: the number of distinct values of the key among the sampled documents;</li>
 * <li>frequency: the most common values, with how many sampled documents hold each;</li>
 * <li>monotonicity: the correlation between the order of the key values and the order the documents were inserted in
 * (record ids). A key that grows with every insert (ObjectId, a timestamp, a counter) correlates near 1: every insert
 * goes to the last chunk, one shard takes all the writes. MongoDB calls it monotonic at a coefficient of 0.7 or more
 * (parameter analyzeShardKeyMonotonicityCorrelationCoefficientThreshold); a hashed leading field is never
 * monotonic.</li>
 * </ul>
 * Documents missing a key field count with null there, as MongoDB's shard key index stores them.
 */
public final class KeyCharacteristics {
    /** MongoDB's analyzeShardKeyNumMostCommonValues default. */
    public static final int MOST_COMMON_VALUES = 5;
    /** MongoDB's analyzeShardKeyMonotonicityCorrelationCoefficientThreshold default. */
    public static final double MONOTONIC_THRESHOLD = 0.7;

    /**
     * One shard's documents as it stores them: each document's key values (unhashed), in record order.
     */
    public record ShardKeys(List<BsonDocument> keysInRecordOrder) {
    }

    private KeyCharacteristics() {
    }

    /**
     * The {@code keyCharacteristics} document.
     *
     * @param pattern      the candidate key
     * @param shards       the sampled key values per shard, in each shard's record order
     * @param numDocsTotal the collection's document count (all of it, not just the sample)
     * @param avgDocSize   the collection's average document size in bytes
     * @param unique       whether a unique index on exactly the candidate key exists
     */
    public static BsonDocument compute(ShardKeyPattern pattern, List<ShardKeys> shards, long numDocsTotal, long avgDocSize,
                                       boolean unique) {
        long sampled = 0;
        Map<BsonDocument, Long> counts = new HashMap<>();
        for (ShardKeys s : shards) {
            for (BsonDocument key : s.keysInRecordOrder()) {
                counts.merge(key, 1L, Long::sum);
                sampled++;
            }
        }
        List<Map.Entry<BsonDocument, Long>> common = new ArrayList<>(counts.entrySet());
        // Most frequent first; ties in key order, so the answer does not depend on hash order.
        common.sort(Map.Entry.<BsonDocument, Long>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry::getKey, KeyOrder.INSTANCE));
        BsonArray mostCommon = new BsonArray();
        for (Map.Entry<BsonDocument, Long> e : common.subList(0, Math.min(MOST_COMMON_VALUES, common.size()))) {
            mostCommon.add(new BsonDocument("value", e.getKey()).append("frequency", new BsonInt64(e.getValue())));
        }
        long distinct = counts.size();
        BsonDocument monotonicity = monotonicity(pattern, shards, counts.size());
        return new BsonDocument("numDocsTotal", new BsonInt64(Math.max(numDocsTotal, sampled)))
            .append("avgDocSizeBytes", new BsonInt64(avgDocSize))
            .append("numDocsSampled", new BsonInt64(sampled))
            .append("isUnique", BsonBoolean.valueOf(unique))
            .append("numDistinctValues", new BsonInt64(distinct))
            .append("mostCommonValues", mostCommon)
            .append("monotonicity", monotonicity);
    }

    /**
     * MongoDB's rules: a key led by a hashed field (or a single hashed field) spreads inserts whatever the values do:
     * "not monotonic", coefficient 0; a hashed field further in: "unknown"; one distinct value: "not monotonic", 0;
     * else Pearson's coefficient of the documents' positions in key order against their record order.
     */
    private static BsonDocument monotonicity(ShardKeyPattern pattern, List<ShardKeys> shards, int distinct) {
        if (pattern.isHashed(0)) {
            return monotonic(0.0);
        }
        if (pattern.isHashed()) {
            return new BsonDocument("type", new BsonString("unknown"));
        }
        if (distinct <= 1) {
            return monotonic(0.0);
        }
        Double coefficient = correlation(shards);
        return coefficient == null ? new BsonDocument("type", new BsonString("unknown")) : monotonic(coefficient);
    }

    private static BsonDocument monotonic(double coefficient) {
        return new BsonDocument("recordIdCorrelationCoefficient", new BsonDouble(round(coefficient)))
            .append("type", new BsonString(Math.abs(coefficient) >= MONOTONIC_THRESHOLD ? "monotonic" : "not monotonic"));
    }

    /** The document's key values, unhashed, a missing field as null. */
    public static BsonDocument keyOf(ShardKeyPattern pattern, BsonDocument doc) {
        BsonDocument key = new BsonDocument();
        for (String f : pattern.fields()) {
            BsonValue v = ShardKeyPattern.valueAt(doc, f);
            key.append(f, v == null ? BsonNull.VALUE : v);
        }
        return key;
    }

    /**
     * Pearson's coefficient between each document's rank in key order and its record order, over every shard's
     * documents (each shard's record order is its own: a shard's pairs are (its key rank, its record position),
     * pooled). Null with fewer than two documents or when either order is constant (a single distinct value).
     */
    static Double correlation(List<ShardKeys> shards) {
        double n = 0;
        double sumX = 0;
        double sumY = 0;
        double sumXX = 0;
        double sumYY = 0;
        double sumXY = 0;
        for (ShardKeys s : shards) {
            List<BsonDocument> keys = s.keysInRecordOrder();
            double[] ranks = ranks(keys);
            for (int i = 0; i < keys.size(); i++) {
                double x = i;
                double y = ranks[i];
                n++;
                sumX += x;
                sumY += y;
                sumXX += x * x;
                sumYY += y * y;
                sumXY += x * y;
            }
        }
        if (n < 2) {
            return null;
        }
        double cov = sumXY - sumX * sumY / n;
        double varX = sumXX - sumX * sumX / n;
        double varY = sumYY - sumY * sumY / n;
        if (varX <= 0 || varY <= 0) {
            return null;
        }
        return cov / Math.sqrt(varX * varY);
    }

    /**
     * Each record position's place in key order, equal keys in record order: the order of the entries of the key's
     * index, which sorts equal keys by record id.
     */
    private static double[] ranks(List<BsonDocument> keys) {
        Integer[] order = new Integer[keys.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int c = KeyOrder.INSTANCE.compare(keys.get(a), keys.get(b));
            return c != 0 ? c : Integer.compare(a, b);
        });
        double[] ranks = new double[keys.size()];
        for (int i = 0; i < order.length; i++) {
            ranks[order[i]] = i;
        }
        return ranks;
    }

    /** MongoDB rounds its figures up at the 10th decimal place. */
    static double round(double v) {
        return Math.ceil(v * 1e10) / 1e10;
    }
}
