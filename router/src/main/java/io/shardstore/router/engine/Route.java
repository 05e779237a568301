package io.shardstore.router.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;

import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.sharding.ChunkVersion;

/** SINGLE_SHARD: forward the request to one shard as it is (see {@link SingleShard}). */
public record Route(Exec exec, String shard, RouterRequest request, ChunkVersion version, String ns, String stage) implements Plan {

    public Route(Exec exec, String shard, RouterRequest request, ChunkVersion version, String ns) {
        this(exec, shard, request, version, ns, "SINGLE_SHARD");
    }

    @Override
    public CompletableFuture<BsonDocument> execute() {
        return SingleShard.forward(exec, shard, request, version, ns, null);
    }

    /** Runs as the request's whole answer: an ok reply without a cursor goes to the client through {@code direct}. */
    public CompletableFuture<BsonDocument> execute(io.shardstore.router.frontend.DirectReply direct) {
        return SingleShard.forward(exec, shard, request, version, ns, direct);
    }

    @Override
    public BsonDocument explain() {
        return Plan.describe(stage, List.of(shard));
    }
}
