package io.shardstore.router.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import com.mongodb.client.model.Filters;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.Replies;
import io.shardstore.router.command.RouterError;
import io.shardstore.sharding.ChunkMap;

/**
 * {@code db.getSiblingDB("admin").aggregate([{$shardedDataDistribution: {}}])} (MongoDB 6.0.3+; mongosh's
 * {@code sh.status()} prints it): per sharded collection, per shard owning chunks, the documents and bytes it holds,
 * from each shard's collStats. Orphans are reported as 0: a migration here deletes the moved range from the donor
 * before it ends, so a shard holds orphans only while a migration's cleanup runs. Only as the whole pipeline.
 */
public record ShardedDataDistribution(Exec exec, List<BsonDocument> pipeline) implements Plan {

    @Override
    public BsonDocument explain() {
        return Plan.describe("SHARDED_DATA_DISTRIBUTION", List.of());
    }

    @Override
    public CompletableFuture<BsonDocument> execute() {
        if (pipeline.size() > 1) {
            return CompletableFuture.failedFuture(new RouterError(ErrorCode.NotImplemented,
                "$shardedDataDistribution followed by other stages is not supported by this server"));
        }
        // The config client is blocking: never on an event loop.
        CompletableFuture<List<String>> sharded = CompletableFuture.supplyAsync(() -> {
            List<String> names = new ArrayList<>();
            exec.catalog().configClient().getDatabase("config").getCollection("collections", BsonDocument.class)
                .find(Filters.exists("key")).forEach(d -> names.add(d.getString("_id").getValue()));
            names.sort(null);
            return names;
        }, exec.catalog().executor());
        return sharded.thenCompose(names -> {
            Map<String, CompletableFuture<BsonDocument>> perCollection = new LinkedHashMap<>();
            for (String ns : names) {
                perCollection.put(ns, exec.catalog().chunkMap(ns).thenCompose(map -> map.isPresent()
                    ? collection(ns, map.get()) : CompletableFuture.completedFuture(null)));
            }
            return CompletableFuture.allOf(perCollection.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
                List<BsonDocument> batch = new ArrayList<>();
                perCollection.values().forEach(f -> {
                    if (f.join() != null) {
                        batch.add(f.join());
                    }
                });
                return Replies.cursor("admin.$cmd.aggregate", 0, batch, true);
            });
        });
    }

    private CompletableFuture<BsonDocument> collection(String ns, ChunkMap map) {
        String db = ns.substring(0, ns.indexOf('.'));
        String coll = ns.substring(ns.indexOf('.') + 1);
        Map<String, CompletableFuture<? extends BsonDocument>> calls = new LinkedHashMap<>();
        for (String shard : Scatter.sorted(map.allShards())) {
            calls.put(shard, exec.gateway().command(shard, new BsonDocument("collStats", new BsonString(coll))
                .append("$db", new BsonString(db))));
        }
        return CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            BsonArray shards = new BsonArray();
            calls.forEach((shard, call) -> {
                BsonDocument stats = Replies.check(call.join());
                shards.add(new BsonDocument("shardName", new BsonString(shard))
                    .append("numOrphanedDocs", new BsonInt64(0))
                    .append("numOwnedDocuments", new BsonInt64(number(stats.get("count"))))
                    .append("ownedSizeBytes", new BsonInt64(number(stats.get("size"))))
                    .append("orphanedSizeBytes", new BsonInt64(0)));
            });
            return new BsonDocument("ns", new BsonString(ns)).append("shards", shards);
        });
    }

    private static long number(BsonValue v) {
        return v != null && v.isNumber() ? v.asNumber().longValue() : 0;
    }
}
