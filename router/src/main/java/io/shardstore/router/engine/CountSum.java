package io.shardstore.router.engine;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt64;

import io.shardstore.router.topology.Routing;

/** count over several shards: each counts up to limit + skip, the router sums and applies skip and limit. */
public record CountSum(Exec exec, Set<String> shards, BsonDocument count, Routing routing) implements Plan {

    @Override
    public CompletableFuture<BsonDocument> execute() {
        long skip = count.isNumber("skip") ? Math.max(0, count.getNumber("skip").longValue()) : 0;
        long limit = count.isNumber("limit") ? Math.abs(count.getNumber("limit").longValue()) : 0;
        BsonDocument perShard = Docs.copy(count);
        perShard.remove("skip");
        if (limit > 0) {
            perShard.put("limit", new BsonInt64(limit + skip));
        }
        return Scatter.send(exec, shards, perShard, routing).thenApply(replies -> {
            long total = 0;
            for (BsonDocument r : replies.values()) {
                total += r.getNumber("n").longValue();
            }
            total = Math.max(0, total - skip);
            if (limit > 0) {
                total = Math.min(total, limit);
            }
            return new BsonDocument("n", total <= Integer.MAX_VALUE ? new org.bson.BsonInt32((int) total) : new BsonInt64(total))
                .append("ok", new BsonDouble(1.0));
        });
    }

    @Override
    public BsonDocument explain() {
        return Plan.describe("SHARD_MERGE", shards);
    }
}
