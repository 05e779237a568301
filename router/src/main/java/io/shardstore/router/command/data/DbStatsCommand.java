package io.shardstore.router.command.data;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.Scatter;
import io.shardstore.router.frontend.RouterRequest;

/**
 * dbStats: every shard's statistics of the database, summed, as mongos reports them (with a per-shard breakdown
 * under {@code raw}), in mongod's number types: counts as 32-bit integers where they fit, sizes as doubles.
 */
public final class DbStatsCommand implements RouterCommand {
    private static final java.util.Set<String> COUNTED_ONCE = java.util.Set.of("collections", "views", "indexes");

    @Override
    public String name() {
        return "dbStats";
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        BsonDocument command = request.command();
        return exec.catalog().shards().thenCompose(shards -> Scatter.send(exec, new LinkedHashSet<>(shards.keySet()), command, null))
            .thenApply(replies -> {
                BsonDocument raw = new BsonDocument();
                Map<String, Double> sums = new java.util.LinkedHashMap<>();
                for (String f : java.util.List.of("collections", "views", "objects", "avgObjSize", "dataSize", "storageSize",
                    "indexes", "indexSize", "totalSize", "scaleFactor", "fsUsedSize", "fsTotalSize")) {
                    sums.put(f, 0.0);
                }
                double objectBytes = 0;
                for (Map.Entry<String, BsonDocument> r : replies.entrySet()) {
                    raw.put(r.getKey(), r.getValue());
                    BsonDocument shard = r.getValue();
                    for (String f : sums.keySet()) {
                        double v = shard.isNumber(f) ? shard.getNumber(f).doubleValue() : 0;
                        // A sharded collection exists on several shards: count catalog entries once; one scale.
                        boolean once = COUNTED_ONCE.contains(f) || f.equals("scaleFactor");
                        sums.put(f, once ? Math.max(sums.get(f), v) : sums.get(f) + v);
                    }
                    objectBytes += (shard.isNumber("avgObjSize") ? shard.getNumber("avgObjSize").doubleValue() : 0)
                        * (shard.isNumber("objects") ? shard.getNumber("objects").doubleValue() : 0);
                }
                double average = sums.get("objects") == 0 ? 0 : objectBytes / sums.get("objects");
                BsonDocument sum = new BsonDocument("db", new BsonString(request.db()));
                sums.forEach((f, v) -> {
                    if (f.equals("avgObjSize")) {
                        sum.put(f, new BsonDouble(average));
                    } else if (COUNTED_ONCE.contains(f) || f.equals("objects") || f.equals("scaleFactor")) {
                        long n = (long) (double) v;
                        sum.put(f, n <= Integer.MAX_VALUE ? new org.bson.BsonInt32((int) n) : new BsonInt64(n));
                    } else {
                        sum.put(f, new BsonDouble(v));
                    }
                });
                return sum.append("raw", raw).append("ok", new BsonDouble(1.0));
            });
    }
}
