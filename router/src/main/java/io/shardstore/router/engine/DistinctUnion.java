package io.shardstore.router.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonValue;

import io.shardstore.router.topology.Routing;
import io.shardstore.sharding.BsonOrder;

/** distinct over several shards: the union of their values, without duplicates, in BSON order. */
public record DistinctUnion(Exec exec, Set<String> shards, BsonDocument distinct, Routing routing) implements Plan {

    @Override
    public CompletableFuture<BsonDocument> execute() {
        return Scatter.send(exec, shards, distinct, routing).thenApply(replies -> {
            TreeSet<BsonValue> values = new TreeSet<>(BsonOrder.INSTANCE);
            for (BsonDocument r : replies.values()) {
                values.addAll(r.getArray("values", new BsonArray()));
            }
            List<BsonValue> out = new ArrayList<>(values);
            return new BsonDocument("values", new BsonArray(out)).append("ok", new BsonDouble(1.0));
        });
    }

    @Override
    public BsonDocument explain() {
        return Plan.describe("SHARD_MERGE", shards);
    }
}
