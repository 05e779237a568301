package io.shardstore.config.resharding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

import io.shardstore.sharding.HashedKeys;
import io.shardstore.sharding.KeyOrder;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * Where the documents go under the new shard key: the chunk bounds (the data's quantiles on a range key, even slices of
 * the hash space on a hashed one, cut again at every zone bound) and each chunk's shard (a zone's chunks on that zone's
 * shards, the others round-robin over every shard), as chunk documents of the new collection (versions 1|0, 1|1, ...).
 */
final class ReshardingLayout {

    private ReshardingLayout() {
    }

    /** The key of a document under {@code key}; a missing field counts as null, as MongoDB's resharding places it. */
    static BsonDocument keyOf(ShardKeyPattern key, BsonDocument doc) {
        List<BsonValue> values = key.valuesOf(doc);
        values.replaceAll(v -> v == null ? BsonNull.VALUE : v);
        return key.keyOfValues(values);
    }

    /**
     * The new chunks. {@code sampleKeys}: keys of the documents (any order; unused for a hashed key); {@code shards}: the
     * shards that may receive chunks; {@code zoneShards}: each zone's shards; {@code zones}: ranges {min, max, zone}.
     */
    static List<BsonDocument> chunks(ShardKeyPattern key, List<BsonDocument> sampleKeys, int wanted, List<String> shards,
                                     Map<String, List<String>> zoneShards, List<BsonDocument> zones, BsonValue uuid,
                                     BsonTimestamp timestamp) {
        TreeSet<BsonDocument> bounds = new TreeSet<>(KeyOrder.INSTANCE);
        bounds.add(key.globalMin());
        bounds.add(key.globalMax());
        if (key.isHashed() && key.fields().size() == 1) {
            for (long point : HashedKeys.splitPoints(Math.max(1, wanted))) {
                bounds.add(new BsonDocument(key.fields().get(0), new BsonInt64(point)));
            }
        } else if (!sampleKeys.isEmpty() && wanted > 1) {
            List<BsonDocument> sorted = new ArrayList<>(sampleKeys);
            sorted.sort(KeyOrder.INSTANCE);
            for (int i = 1; i < wanted; i++) {
                bounds.add(sorted.get((int) ((long) i * sorted.size() / wanted)));
            }
        }
        for (BsonDocument z : zones) {
            bounds.add(z.getDocument("min"));
            bounds.add(z.getDocument("max"));
        }
        List<BsonDocument> points = new ArrayList<>(bounds);
        List<BsonDocument> chunks = new ArrayList<>();
        Map<String, Integer> nextInZone = new HashMap<>();
        int next = 0;
        for (int i = 0; i + 1 < points.size(); i++) {
            BsonDocument min = points.get(i);
            BsonDocument max = points.get(i + 1);
            String zone = zoneOf(min, max, zones);
            String shard;
            if (zone != null && !zoneShards.getOrDefault(zone, List.of()).isEmpty()) {
                List<String> candidates = zoneShards.get(zone);
                int n = nextInZone.merge(zone, 1, Integer::sum) - 1;
                shard = candidates.get(n % candidates.size());
            } else {
                shard = shards.get(next++ % shards.size());
            }
            chunks.add(new BsonDocument("_id", new BsonObjectId(new ObjectId()))
                .append("uuid", uuid)
                .append("min", min)
                .append("max", max)
                .append("shard", new BsonString(shard))
                .append("lastmod", new BsonTimestamp(1, i))
                .append("onCurrentShardSince", timestamp)
                .append("history", new BsonArray(List.of(new BsonDocument("validAfter", timestamp).append("shard", new BsonString(shard))))));
        }
        return chunks;
    }

    private static String zoneOf(BsonDocument min, BsonDocument max, List<BsonDocument> zones) {
        for (BsonDocument z : zones) {
            if (KeyOrder.INSTANCE.compare(z.getDocument("min"), min) <= 0 && KeyOrder.INSTANCE.compare(max, z.getDocument("max")) <= 0) {
                return z.getString("zone").getValue();
            }
        }
        return null;
    }
}
