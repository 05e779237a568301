package io.shardstore.router.command.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.engine.ViewRewrite;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.MergeEngine;
import io.shardstore.router.frontend.RouterRequest;

/**
 * A read of a view through the router, as mongos does it: the view lives in the catalog of its database's primary
 * shard, which answers a routed read of it with {@code 169 CommandOnShardedViewNotSupportedOnMongod} and the view
 * resolved down to its collection; the router then runs the read as an aggregate on that collection (sharded or not,
 * over every shard it needs) and shapes the reply as the read's ({@link ViewRewrite}, the same rewrite the node uses).
 */
final class ViewRead {
    private final AggregateCommand aggregate = new AggregateCommand();

    static boolean isResolvedView(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        return cause instanceof RouterError e && e.code() == ErrorCode.CommandOnShardedViewNotSupportedOnMongod.code()
            && e.details().isDocument("resolvedView");
    }

    CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec, Throwable failure) {
        RouterError error = (RouterError) (failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure);
        return run(request, exec, error.details().getDocument("resolvedView"));
    }

    /** The read of a view resolved to {@code {ns, pipeline}} (by the primary shard, or by the router for a plain one). */
    CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec, BsonDocument resolved) {
        String ns = resolved.getString("ns").getValue();
        String collection = ns.substring(ns.indexOf('.') + 1);
        List<Object> viewPipeline = new ArrayList<>();
        for (BsonValue stage : resolved.getArray("pipeline")) {
            viewPipeline.add(MergeEngine.toEngine(stage.asDocument()));
        }
        Document body = ViewRewrite.toAggregate(request.name(), MergeEngine.toEngine(request.command()), collection, viewPipeline);
        RawBsonDocument raw = (RawBsonDocument) MergeEngine.fromEngine(body);
        RouterRequest onCollection = new RouterRequest("aggregate", request.db(), raw, Map.of(), null);
        String viewNs = request.db() + "." + request.collection();
        return aggregate.run(onCollection, exec).thenApply(reply -> {
            if (reply.isDocument("cursor") && reply.getDocument("cursor").isNumber("id")) {
                exec.cursors().rename(reply.getDocument("cursor").getNumber("id").longValue(), viewNs);
            }
            return MergeEngine.fromEngine(ViewRewrite.fromAggregate(request.name(), MergeEngine.toEngine(reply), viewNs));
        });
    }
}
