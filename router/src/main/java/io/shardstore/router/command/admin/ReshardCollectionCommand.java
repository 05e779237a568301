package io.shardstore.router.command.admin;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.Replies;
import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.gateway.ShardGateway;

/**
 * reshardCollection (mongosh's sh.reshardCollection): the config server starts the operation and answers at once; this
 * router then asks it how the operation stands every {@value #POLL_MILLIS} ms and answers the client when it has
 * ended, as mongos answers: ok once committed (this router's routing refreshed), the operation's error otherwise
 * (ReshardCollectionAborted after abortReshardCollection). A change of config primary in between is ridden out: the
 * new primary completes or undoes the operation, and the polls find out which.
 */
public final class ReshardCollectionCommand implements RouterCommand {
    static final long POLL_MILLIS = 200;
    /** How long the config server may stay unreachable (an election) before the client is told so. */
    private static final long UNREACHABLE_MILLIS = 120_000;
    /** How long an operation the config server does not know of is asked about again before the client is told. */
    private static final long GONE_MILLIS = 3_000;
    private static final Set<String> NOT_FORWARDED = Set.of("reshardCollection", "$db", "lsid", "$clusterTime", "txnNumber",
        "$readPreference", "apiVersion", "apiStrict", "apiDeprecationErrors", "comment");

    @Override
    public String name() {
        return "reshardCollection";
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        BsonValue target = request.body().get(name());
        if (target == null || !target.isString() || target.asString().getValue().indexOf('.') <= 0) {
            throw new RouterError(ErrorCode.InvalidNamespace, "'reshardCollection' must be a full namespace 'db.collection'");
        }
        if (!request.db().equals("admin")) {
            throw new RouterError(ErrorCode.Unauthorized, "reshardCollection may only be run against the admin database.");
        }
        String ns = target.asString().getValue();
        BsonDocument start = new BsonDocument("_configsvrReshardCollection", new BsonString(ns));
        request.body().forEach((k, v) -> {
            if (!NOT_FORWARDED.contains(k)) {
                start.put(k, v);
            }
        });
        start.put("$db", new BsonString("admin"));
        return exec.gateway().command(ShardGateway.CONFIG, start).thenCompose(reply -> {
            Replies.check(reply);
            if (reply.getBoolean("noop", org.bson.BsonBoolean.FALSE).getValue()) {
                return CompletableFuture.completedFuture(Replies.ok());
            }
            CompletableFuture<BsonDocument> done = new CompletableFuture<>();
            poll(exec, ns, reply.get("reshardingUUID"), System.nanoTime(), done);
            return done;
        });
    }

    private static void poll(Exec exec, String ns, BsonValue uuid, long reachedNanos, CompletableFuture<BsonDocument> done) {
        CompletableFuture.delayedExecutor(POLL_MILLIS, TimeUnit.MILLISECONDS).execute(() ->
            exec.gateway().command(ShardGateway.CONFIG, new BsonDocument("_configsvrReshardingStatus", uuid)
                .append("$db", new BsonString("admin"))).whenComplete((status, failure) -> {
                    if (failure != null || !Replies.isOk(status)) {
                        // NoSuchReshardCollection is final after a few polls only: a config primary elected a moment
                        // ago may not have caught up with its predecessor's last writes yet.
                        boolean gone = status != null && status.isNumber("code")
                            && status.getNumber("code").intValue() == ErrorCode.NoSuchReshardCollection.code()
                            && System.nanoTime() - reachedNanos > TimeUnit.MILLISECONDS.toNanos(GONE_MILLIS);
                        if (gone || System.nanoTime() - reachedNanos > TimeUnit.MILLISECONDS.toNanos(UNREACHABLE_MILLIS)) {
                            done.complete(failure != null ? new RouterError(6, "HostUnreachable",
                                "lost track of the resharding of " + ns + ": " + failure.getMessage()).toReply() : status);
                        } else {
                            poll(exec, ns, uuid, reachedNanos, done); // an election on the config server: ask the next primary
                        }
                        return;
                    }
                    if (!status.getBoolean("done").getValue()) {
                        poll(exec, ns, uuid, System.nanoTime(), done);
                    } else if (status.isNumber("code")) {
                        done.complete(new RouterError(status.getNumber("code").intValue(), status.getString("codeName").getValue(),
                            status.getString("errmsg").getValue()).toReply());
                    } else {
                        exec.catalog().refresh(ns).handle((map, e) -> done.complete(Replies.ok()));
                    }
                }));
    }
}
