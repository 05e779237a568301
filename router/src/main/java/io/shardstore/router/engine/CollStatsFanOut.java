package io.shardstore.router.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.Replies;
import io.shardstore.router.command.RouterError;

/**
 * {@code $collStats} through the router, as mongos answers it: the stage runs on every shard that holds the
 * collection (a sharded one's chunk owners, else its primary shard), one result document per shard, each naming its
 * {@code shard}. mongosh's {@code getShardDistribution()} and {@code db.coll.stats()} read it. Only as the whole
 * pipeline (as the shard nodes take it).
 */
public record CollStatsFanOut(Exec exec, String ns, Set<String> shards, List<BsonDocument> pipeline) implements Plan {

    @Override
    public BsonDocument explain() {
        return Plan.describe("SHARD_COLLSTATS", Scatter.sorted(shards));
    }

    @Override
    public CompletableFuture<BsonDocument> execute() {
        if (pipeline.size() > 1) {
            return CompletableFuture.failedFuture(new RouterError(ErrorCode.NotImplemented,
                "$collStats followed by other stages is not supported by this server"));
        }
        String db = ns.substring(0, ns.indexOf('.'));
        String coll = ns.substring(ns.indexOf('.') + 1);
        Map<String, CompletableFuture<? extends BsonDocument>> calls = new LinkedHashMap<>();
        for (String shard : Scatter.sorted(shards)) {
            BsonDocument cmd = new BsonDocument("aggregate", new BsonString(coll))
                .append("pipeline", new BsonArray(List.copyOf(pipeline))).append("cursor", new BsonDocument())
                .append("$db", new BsonString(db));
            calls.put(shard, exec.gateway().command(shard, cmd));
        }
        return CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<BsonDocument> batch = new ArrayList<>();
            calls.forEach((shard, call) -> {
                BsonDocument reply = Replies.check(call.join());
                for (var doc : reply.getDocument("cursor").getArray("firstBatch")) {
                    BsonDocument out = new BsonDocument("ns", new BsonString(ns)).append("shard", new BsonString(shard));
                    doc.asDocument().forEach((k, v) -> {
                        if (!k.equals("ns")) {
                            out.put(k, v);
                        }
                    });
                    batch.add(out);
                }
            });
            return Replies.cursor(ns, 0, batch, true);
        });
    }
}
