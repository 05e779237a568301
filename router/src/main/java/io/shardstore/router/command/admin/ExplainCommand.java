package io.shardstore.router.command.admin;

import io.shardstore.router.engine.Docs;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.RawBsonDocument;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.command.RouterRegistry;
import io.shardstore.router.command.data.TargetedCommand;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.ShardExplain;
import io.shardstore.router.frontend.RouterRequest;

/**
 * explain: how the router would run a find, aggregate, count, distinct, update, delete or findAndModify:
 * the plan stage (SINGLE_SHARD, SHARD_MERGE, SHARD_MERGE_SORT, SHARD_WRITE) and the shards it targets; for a find,
 * count or distinct also each shard's own plan and, with the executionStats verbosities, its figures
 * ({@link ShardExplain}).
 */
public final class ExplainCommand implements RouterCommand {
    private final RouterRegistry registry;

    public ExplainCommand(RouterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return "explain";
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        if (!request.body().isDocument("explain")) {
            throw new RouterError(ErrorCode.TypeMismatch, "explain needs a command document");
        }
        BsonDocument inner = Docs.copy(request.body().getDocument("explain"));
        if (!inner.containsKey("$db")) {
            inner.put("$db", new BsonString(request.db()));
        }
        RouterRequest innerRequest = new RouterRequest(inner.isEmpty() ? "" : inner.getFirstKey(), request.db(),
            new RawBsonDocument(inner, new org.bson.codecs.BsonDocumentCodec()), java.util.Map.of(), null);
        RouterCommand command = registry.find(innerRequest.name());
        if (!(command instanceof TargetedCommand targeted)) {
            throw new RouterError(ErrorCode.CommandNotSupported, "explain of '" + innerRequest.name() + "' is not supported");
        }
        String verbosity = request.body().isString("verbosity") ? request.body().getString("verbosity").getValue() : "allPlansExecution";
        if (!verbosity.equals("queryPlanner") && !verbosity.equals("executionStats") && !verbosity.equals("allPlansExecution")) {
            throw new RouterError(ErrorCode.BadValue, "Enumeration value '" + verbosity + "' for field 'explain.verbosity' is not a valid value.");
        }
        return targeted.plan(innerRequest, exec).thenApply(plan -> new BsonDocument("queryPlanner", new BsonDocument(
                "mongosPlannerVersion", new BsonInt32(1)).append("winningPlan", plan.explain()))
            .append("command", inner)
            .append("serverInfo", new BsonDocument("host", new BsonString(exec.router().options().bindIp()))
                .append("port", new BsonInt32(exec.router().options().port())).append("version", new BsonString(BuildInfo.VERSION)))
            .append("ok", new BsonDouble(1.0)))
            .thenCompose(reply -> ShardExplain.join(exec, request.db(), inner, verbosity, reply));
    }
}
