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

/** dbStats: every shard's statistics of the database, numbers summed, as mongos reports them (with a per-shard breakdown). */
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
                BsonDocument sum = new BsonDocument("db", new BsonString(request.db()));
                BsonDocument raw = new BsonDocument();
                for (Map.Entry<String, BsonDocument> r : replies.entrySet()) {
                    raw.put(r.getKey(), r.getValue());
                    for (Map.Entry<String, BsonValue> f : r.getValue().entrySet()) {
                        if (f.getValue().isNumber() && !f.getKey().equals("ok") && !f.getKey().equals("scale")) {
                            long prev = sum.isNumber(f.getKey()) ? sum.getNumber(f.getKey()).longValue() : 0;
                            long v = f.getValue().asNumber().longValue();
                            // A sharded collection exists on several shards: count catalog entries once.
                            boolean catalogCount = COUNTED_ONCE.contains(f.getKey());
                            sum.put(f.getKey(), new BsonInt64(catalogCount ? Math.max(prev, v) : prev + v));
                        }
                    }
                }
                return sum.append("raw", raw).append("ok", new BsonDouble(1.0));
            });
    }
}
