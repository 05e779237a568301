package io.shardstore.router.command;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;

import io.shardstore.router.engine.Exec;
import io.shardstore.router.frontend.RouterRequest;

/** One command of the router. It completes with a reply or fails with a {@link RouterError}; never both. */
public interface RouterCommand {

    String name();

    default List<String> aliases() {
        return List.of();
    }

    CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec);
}
