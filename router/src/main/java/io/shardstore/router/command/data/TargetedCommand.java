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
        if (!io.shardstore.engine.ViewRewrite.READS.contains(request.name())) {
            return execute(request, exec);
        }
        CompletableFuture<BsonDocument> onPlainPrimary = viewOnPlainPrimary(request, exec);
        CompletableFuture<BsonDocument> reply = onPlainPrimary != null ? onPlainPrimary : execute(request, exec);
        // A read that named a view: the primary shard hands back the view resolved, and it is read here.
        return reply.exceptionallyCompose(failure -> ViewRead.isResolvedView(failure)
            ? new ViewRead().run(request, exec, failure) : CompletableFuture.failedFuture(failure));
    }

    /**
     * A read on an unsharded namespace of a database whose primary shard is plain: that shard would read a view of a
     * sharded collection over its own documents only, so the router resolves views there itself (PlainShardViews) and
     * reads one of a sharded collection as the primary shard's 169 would have it read. Null (the usual path, no stage
     * added) when no shard is plain, or the cached routing says the namespace is sharded or on a shard of ours.
     */
    private CompletableFuture<BsonDocument> viewOnPlainPrimary(RouterRequest request, Exec exec) {
        if (!exec.catalog().anyPlain()) {
            return null;
        }
        String coll = request.collection();
        if (coll == null || coll.isEmpty() || request.db().equals("config") || request.db().equals("admin")
            || request.db().equals("local")) {
            return null;
        }
        CompletableFuture<Routing> routing = exec.catalog().routing(request.db(), coll);
        if (routing.isDone() && !routing.isCompletedExceptionally()
            && (!(routing.join() instanceof Routing.Unsharded u) || !exec.catalog().isPlain(u.primary()))) {
            return null;
        }
        return routing.thenCompose(r -> {
            if (!(r instanceof Routing.Unsharded) || !exec.catalog().isPlain(r.primary())) {
                return execute(request, exec);
            }
            return exec.catalog().plainViews().resolve(exec.gateway(), request.db(), coll, r.primary()).thenCompose(resolved -> {
                if (resolved == null) {
                    return execute(request, exec);
                }
                String ns = resolved.getString("ns").getValue();
                return exec.catalog().routing(request.db(), ns.substring(ns.indexOf('.') + 1)).thenCompose(of ->
                    of instanceof Routing.Sharded ? new ViewRead().run(request, exec, resolved) : execute(request, exec));
            });
        });
    }

    private CompletableFuture<BsonDocument> execute(RouterRequest request, Exec exec) {
        Plan now = planIfCached(request, exec);
        if (now instanceof Route route && request.directReply() != null) {
            // The plan is the command's whole answer: an ok reply can go back to the client as the shard sent it.
            return route.execute(request.directReply());
        }
        if (now != null) {
            return now.execute(); // the routing table was cached: no stage, no future in between
        }
        return plan(request, exec).thenCompose(Plan::execute);
    }

    /** The plan, made at once when the routing table is cached (the usual case); null when it must be read first. */
    private Plan planIfCached(RouterRequest request, Exec exec) {
        Plan database = databasePlan(request, exec);
        if (database != null) {
            return database;
        }
        String coll = collection(request);
        String db = request.db();
        if (db.equals("config") || db.equals("admin")) {
            return new Route(exec, ShardGateway.CONFIG, request, null, db + "." + coll);
        }
        if (db.equals("local")) {
            throw new RouterError(ErrorCode.IllegalOperation, "cannot use the local database through the router");
        }
        CompletableFuture<Routing> routing = exec.catalog().routing(db, coll);
        if (routing.isDone() && !routing.isCompletedExceptionally()) {
            return plan(request, exec, db + "." + coll, routing.join());
        }
        return null;
    }

    public final CompletableFuture<Plan> plan(RouterRequest request, Exec exec) {
        Plan now = planIfCached(request, exec);
        if (now != null) {
            return CompletableFuture.completedFuture(now);
        }
        String coll = collection(request);
        String ns = request.db() + "." + coll;
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
