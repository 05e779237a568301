package io.shardstore.router.command.data;

import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.Plan;
import io.shardstore.router.engine.Route;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.gateway.ShardGateway;
import io.shardstore.router.topology.Routing;

/**
 * A collection command the planner targets: it turns a request into a {@link Plan} over the routing
 * table (which explain also describes), then runs it. Requests on the config (and admin) database go
 * to the config server.
 */
public abstract class TargetedCommand implements RouterCommand {

    @Override
    public final CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        CompletableFuture<BsonDocument> reply = execute(request, exec);
        if (!io.shardstore.engine.ViewRewrite.READS.contains(request.name())) {
            return reply;
        }
        // A read that named a view: the primary shard hands back the view resolved, and it is read here.
        return reply.exceptionallyCompose(failure -> ViewRead.isResolvedView(failure)
            ? new ViewRead().run(request, exec, failure) : CompletableFuture.failedFuture(failure));
    }

    private CompletableFuture<BsonDocument> execute(RouterRequest request, Exec exec) {
        CompletableFuture<Plan> plan = plan(request, exec);
        if (plan.isDone() && !plan.isCompletedExceptionally()) {
            return plan.join().execute(); // the routing table was cached: no stage in between
        }
        return plan.thenCompose(Plan::execute);
    }

    public final CompletableFuture<Plan> plan(RouterRequest request, Exec exec) {
        Plan database = databasePlan(request, exec);
        if (database != null) {
            return CompletableFuture.completedFuture(database);
        }
        String coll = collection(request);
        String ns = request.db() + "." + coll;
        if (request.db().equals("config") || request.db().equals("admin")) {
            return CompletableFuture.completedFuture(new Route(exec, ShardGateway.CONFIG, request, null, ns));
        }
        if (request.db().equals("local")) {
            throw new RouterError(ErrorCode.IllegalOperation, "cannot use the local database through the router");
        }
        return exec.catalog().routing(request.db(), coll).thenApply(routing -> plan(request, exec, ns, routing));
    }

    /** A plan for a request on a whole database rather than a collection (aggregate: 1), or null. */
    protected Plan databasePlan(RouterRequest request, Exec exec) {
        return null;
    }

    protected String collection(RouterRequest request) {
        String coll = request.collection();
        if (coll == null || coll.isEmpty()) {
            throw new RouterError(ErrorCode.InvalidNamespace, "collection name has invalid type "
                + (request.body().get(request.name()) == null ? "missing" : request.body().get(request.name()).getBsonType()));
        }
        return coll;
    }

    protected abstract Plan plan(RouterRequest request, Exec exec, String ns, Routing routing);

    /** An unsharded collection: everything on the primary shard, forwarded as it is. */
    protected static Plan primary(RouterRequest request, Exec exec, String ns, Routing routing) {
        return new Route(exec, routing.primary(), request, routing.versionFor(routing.primary()), ns);
    }
}
