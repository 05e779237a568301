package io.shardstore.router.command.admin;

import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;

import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.frontend.RouterRequest;

/** A command the router answers itself, synchronously, without any shard. */
public abstract class LocalCommand implements RouterCommand {

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        return CompletableFuture.completedFuture(answer(request, exec));
    }

    protected abstract BsonDocument answer(RouterRequest request, Exec exec);
}
