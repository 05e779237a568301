package io.shardstore.router.command.admin;

import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;

import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.SingleShard;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.gateway.ShardGateway;

/**
 * Sharding administration (addShard, enableSharding, shardCollection, split, moveChunk, balancer...):
 * forwarded to the config server; after a change this router drops what it cached about the target.
 */
public final class ConfigForwardCommand implements RouterCommand {
    private final String name;

    public ConfigForwardCommand(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        return SingleShard.forward(exec, ShardGateway.CONFIG, request, null, "admin.$cmd").thenCompose(reply -> {
            String t = request.collection(); // the command's own string argument: a namespace, database or shard
            CompletableFuture<?> after = CompletableFuture.completedFuture(null);
            switch (name) {
                case "addShard", "removeShard" -> exec.catalog().invalidateShards();
                case "enableSharding" -> {
                    if (t != null) {
                        exec.catalog().invalidateDatabase(t);
                    }
                }
                case "shardCollection", "split", "moveChunk", "moveRange" -> {
                    if (t != null) {
                        after = exec.catalog().refresh(t);
                    }
                }
                default -> {
                }
            }
            return after.handle((r, e) -> reply);
        });
    }
}
