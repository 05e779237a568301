package io.shardstore.router.engine;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.router.topology.Routing;

/**
 * The collStats command on a sharded collection, as mongos answers it: asked of every shard that owns chunks, the
 * counts and sizes summed ({@code indexSizes} per index), {@code nindexes} as on any one shard, {@code sharded: true}
 * and each shard's own reply under {@code shards}. Forwarded to the primary shard alone, it counted that shard's part.
 */
public record CollStatsSum(Exec exec, String ns, BsonDocument command, Routing.Sharded routing) implements Plan {
    private static final List<String> SUMMED = List.of("count", "size", "storageSize", "totalIndexSize", "totalSize");

    @Override
    public BsonDocument explain() {
        return Plan.describe("SHARD_MERGE", routing.chunks().allShards());
    }

    @Override
    public CompletableFuture<BsonDocument> execute() {
        BsonDocument cmd = command.clone();
        cmd.remove("shardVersion");
        return Scatter.send(exec, new LinkedHashSet<>(Scatter.sorted(routing.chunks().allShards())), cmd, null).thenApply(replies -> {
            BsonDocument out = new BsonDocument("sharded", BsonBoolean.TRUE).append("ns", new BsonString(ns));
            BsonDocument indexSizes = new BsonDocument();
            BsonDocument shards = new BsonDocument();
            long[] sums = new long[SUMMED.size()];
            int nindexes = 0;
            BsonValue scaleFactor = new BsonInt32(1);
            for (Map.Entry<String, BsonDocument> reply : replies.entrySet()) {
                BsonDocument stats = reply.getValue();
                shards.put(reply.getKey(), stats);
                for (int i = 0; i < SUMMED.size(); i++) {
                    sums[i] += stats.isNumber(SUMMED.get(i)) ? stats.getNumber(SUMMED.get(i)).longValue() : 0;
                }
                nindexes = Math.max(nindexes, stats.isNumber("nindexes") ? stats.getNumber("nindexes").intValue() : 0);
                if (stats.isDocument("indexSizes")) {
                    stats.getDocument("indexSizes").forEach((name, size) -> indexSizes.put(name, new BsonInt64(
                        (indexSizes.isNumber(name) ? indexSizes.getNumber(name).longValue() : 0) + (size.isNumber() ? size.asNumber().longValue() : 0))));
                }
                if (stats.containsKey("scaleFactor")) {
                    scaleFactor = stats.get("scaleFactor");
                }
            }
            for (int i = 0; i < SUMMED.size(); i++) {
                out.put(SUMMED.get(i), new BsonInt64(sums[i]));
            }
            long count = sums[0];
            // avgObjSize is in bytes whatever the scale: the shards' averages weighted by their counts.
            double bytes = 0;
            for (BsonDocument stats : replies.values()) {
                bytes += (stats.isNumber("avgObjSize") ? stats.getNumber("avgObjSize").doubleValue() : 0)
                    * (stats.isNumber("count") ? stats.getNumber("count").doubleValue() : 0);
            }
            out.put("avgObjSize", new BsonDouble(count == 0 ? 0 : bytes / count));
            out.put("nindexes", new BsonInt32(nindexes));
            out.put("indexSizes", indexSizes);
            out.put("scaleFactor", scaleFactor);
            out.put("shards", shards);
            out.put("ok", new BsonDouble(1.0));
            return out;
        });
    }
}
