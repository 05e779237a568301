package io.shardstore.router.engine;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.bson.BsonDocument;

import io.shardstore.router.topology.Routing;

/** The same command to a set of shards (index builds, drops); the reply of the first shard stands for all. */
public record Broadcast(Exec exec, Set<String> shards, BsonDocument command, Routing routing,
                        Function<java.util.Map<String, BsonDocument>, BsonDocument> combine) implements Plan {

    public Broadcast(Exec exec, Set<String> shards, BsonDocument command, Routing routing) {
        this(exec, shards, command, routing, replies -> replies.values().iterator().next());
    }

    @Override
    public CompletableFuture<BsonDocument> execute() {
        return Scatter.send(exec, shards, command, routing).thenApply(combine);
    }

    @Override
    public BsonDocument explain() {
        return Plan.describe("SHARD_BROADCAST", shards);
    }
}
