package io.shardstore.router.command;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.protocol.Transactions;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.gateway.ShardUnreachableException;

/**
 * Runs a client's command: finds it, runs it, and on StaleConfig refreshes that collection's routing and
 * runs it again (bounded, with a short backoff); every failure becomes MongoDB's error reply.
 */
public final class RouterDispatcher {
    private static final Logger log = LoggerFactory.getLogger(RouterDispatcher.class);
    private static final int MAX_ATTEMPTS = 10;

    private final RouterRegistry registry;

    public RouterDispatcher(RouterRegistry registry) {
        this.registry = registry;
    }

    public CompletableFuture<BsonDocument> dispatch(RouterRequest request, Exec exec) {
        String batch = switch (request.name()) {
            case "insert" -> "documents";
            case "update" -> "updates";
            case "delete" -> "deletes";
            default -> null;
        };
        exec.router().count(request.name(), batch == null ? 1 : request.count(batch));
        if (request.db() == null || request.db().isEmpty()) {
            return CompletableFuture.completedFuture(new RouterError(40571, "Location40571", "OP_MSG requests require a $db argument").toReply());
        }
        if (exec.router() != null) {
            exec.router().sessions().used(request.sessionKey());
        }
        if (Transactions.takesPart(request::has) || Transactions.ENDING.contains(request.name())) {
            return CompletableFuture.completedFuture(refuseTransaction(request));
        }
        RouterCommand command = registry.find(request.name());
        if (command == null) {
            return CompletableFuture.completedFuture(new RouterError(ErrorCode.CommandNotFound,
                "no such command: '" + request.name() + "'").toReply());
        }
        // As mongod: an unknown command is CommandNotFound (59) for anyone; a known one is then checked against the user.
        if (exec.router() != null && exec.router().options().security().auth() && exec.client() != null) {
            String refusal = RouterAuthorization.refusal(request, exec.client());
            if (refusal != null) {
                return CompletableFuture.completedFuture(new RouterError(ErrorCode.Unauthorized, refusal).toReply());
            }
        }
        io.shardstore.protocol.CommandSyntax.Syntax syntax = io.shardstore.protocol.CommandSyntax.of(request.name());
        if (syntax != null) {
            io.shardstore.protocol.CommandSyntax.Refusal refusal = SyntaxCheck.check(syntax, request);
            if (refusal != null) {
                return CompletableFuture.completedFuture(new RouterError(refusal.code(), refusal.codeName(), refusal.message()).toReply());
            }
        }
        io.shardstore.engine.FailCommand failPoint = exec.router() == null ? null : exec.router().failCommand();
        io.shardstore.engine.FailCommand.Action failure = failPoint == null ? null
            : failPoint.check(request.name(), exec.client() == null ? null : exec.client().appName(), false);
        if (failure != null) {
            request.replyDirectly(null); // the fail point may change the reply on its way back
            return FailCommandAction.apply(failure, request, exec, () -> run(command, request, exec));
        }
        // configureQueryAnalyzer's sampling: one volatile read when nothing is sampled. A sampled update comes back with
        // its sample ids in the statements, for the shards' config.sampledQueriesDiff (real mongods of a plain shard
        // are left out: only 7.0's know the field).
        RouterRequest routed = exec.analyzers() == null ? request : exec.analyzers().offer(request, !exec.catalog().anyPlain());
        return route(command, routed, exec);
    }

    /** The sampled request on its way: authorization filters, plain-shard fences, then the command. */
    private CompletableFuture<BsonDocument> route(RouterCommand command, RouterRequest request, Exec exec) {
        if (request.name().equals("listDatabases") && exec.router().options().security().auth()) {
            return run(command, request, exec).thenApply(reply -> RouterAuthorization.authorizedDatabases(reply, exec.client()));
        }
        if (exec.catalog().anyPlain() && (PLAIN_WRITES.contains(request.name()) || PLAIN_READS.contains(request.name()))) {
            CompletableFuture<BsonDocument> fenced = fenced(command, request, exec);
            if (fenced != null) {
                return fenced;
            }
        }
        if (VIEW_DDL.contains(request.name()) && exec.catalog().anyPlain()) {
            // The views this router resolves for plain primary shards are listed again after any change to them.
            String db = request.db();
            return run(command, request, exec).whenComplete((reply, error) -> exec.catalog().plainViews().invalidate(db));
        }
        return run(command, request, exec);
    }

    /** A transaction's statement is refused before it runs; commit and abort find no transaction ({@link Transactions}). */
    private static BsonDocument refuseTransaction(RouterRequest request) {
        if (Transactions.ENDING.contains(request.name())) {
            return new RouterError(ErrorCode.NoSuchTransaction, Transactions.NO_TRANSACTION).toReply();
        }
        return new RouterError(Transactions.refusedCode(), Transactions.REFUSED).toReply();
    }

    /**
     * A read or write of a collection while some shard is plain: admitted by this router's lease and critical sections
     * first ({@code PlainFences}: a plain shard cannot turn away a request made with an old routing table). Null for a
     * request on no collection, or on the config, admin or local database.
     */
    private CompletableFuture<BsonDocument> fenced(RouterCommand command, RouterRequest request, Exec exec) {
        String coll = request.collection();
        String db = request.db();
        if (coll == null || coll.isEmpty() || db == null || db.equals("admin") || db.equals("config") || db.equals("local")) {
            return null;
        }
        String ns = db + "." + coll;
        io.shardstore.router.topology.PlainFences fences = exec.catalog().plainFences();
        if (PLAIN_READS.contains(request.name())) {
            return fences.admitRead(ns).thenCompose(v -> run(command, request, exec))
                .exceptionally(RouterDispatcher::toReply);
        }
        return fences.admitWrite(ns)
            .thenCompose(v -> run(command, request, exec).whenComplete((reply, error) -> fences.writeDone(ns)))
            .exceptionally(RouterDispatcher::toReply);
    }

    private static final java.util.Set<String> PLAIN_WRITES = java.util.Set.of("insert", "update", "delete", "findAndModify",
        "findandmodify");
    private static final java.util.Set<String> PLAIN_READS = java.util.Set.of("find", "count", "distinct", "aggregate");

    /** The commands that can make, change or remove a view (see PlainShardViews). */
    private static final java.util.Set<String> VIEW_DDL = java.util.Set.of("create", "collMod", "drop", "dropDatabase",
        "renameCollection");

    private CompletableFuture<BsonDocument> run(RouterCommand command, RouterRequest request, Exec exec) {
        return attempt(command, request, exec, 1);
    }

    /**
     * Runs the command: its reply, or its error as a reply; StaleConfig runs it again. A reply passes through one stage
     * (the usual case adds no future of its own: this runs for every request).
     */
    private CompletableFuture<BsonDocument> attempt(RouterCommand command, RouterRequest request, Exec exec, int n) {
        CompletableFuture<BsonDocument> result;
        try {
            result = command.run(request, exec);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.exceptionallyCompose(failure -> {
            Throwable cause = unwrap(failure);
            if (!(cause instanceof RouterError.StaleConfigError stale) || n >= MAX_ATTEMPTS) {
                return CompletableFuture.completedFuture(labelled(request, exec, toReply(cause)));
            }
            log.debug("{} on {}: stale routing, refresh and retry ({})", request.name(), stale.ns(), n);
            java.util.concurrent.Executor delay = CompletableFuture.delayedExecutor(Math.min(200, 5L << n), TimeUnit.MILLISECONDS);
            CompletableFuture<BsonDocument> again = new CompletableFuture<>();
            exec.catalog().refresh(stale.ns()).whenCompleteAsync((map, refreshFailure) -> {
                if (refreshFailure != null) {
                    again.complete(toReply(refreshFailure));
                    return;
                }
                attempt(command, request, exec, n + 1).whenComplete((reply, fault) -> again.complete(fault != null ? toReply(fault) : reply));
            }, delay);
            return again;
        });
    }

    private static final java.util.Set<String> WRITES = java.util.Set.of("insert", "update", "delete", "findAndModify", "findandmodify");

    /**
     * A retryable write that failed because a shard's primary went away (HostUnreachable, NotWritablePrimary...) is
     * labelled RetryableWriteError, as mongos labels it: drivers retry only labelled errors, and the retry is answered
     * from the shards' records (replica-set shards keep them) if the write was applied after all.
     */
    private static BsonDocument labelled(RouterRequest request, Exec exec, BsonDocument error) {
        if (WRITES.contains(request.name()) && request.value("txnNumber") != null && error.isNumber("code")
            && ErrorCode.RETRYABLE_WRITE_CODES.contains(error.getNumber("code").intValue()) && !error.containsKey("errorLabels")
            && exec.gateway().shardsRecordRetryableWrites()) {
            error.append("errorLabels", new org.bson.BsonArray(java.util.List.of(new BsonString("RetryableWriteError"))));
        }
        return error;
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static BsonDocument toReply(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof RouterError e) {
            return e.toReply();
        }
        if (cause instanceof ShardUnreachableException e) {
            return new RouterError(6, "HostUnreachable", e.getMessage()).toReply();
        }
        if (cause instanceof IllegalArgumentException e) {
            return new RouterError(ErrorCode.BadValue, e.getMessage()).toReply();
        }
        if (cause instanceof org.bson.BsonSerializationException) {
            return new RouterError(ErrorCode.InvalidBSON, "invalid BSON: " + cause.getMessage()).toReply();
        }
        if (cause instanceof org.bson.BsonInvalidOperationException || cause instanceof ClassCastException) {
            return new RouterError(ErrorCode.TypeMismatch, "a field has the wrong type: " + cause.getMessage()).toReply();
        }
        if (cause instanceof com.mongodb.MongoCommandException e) {
            return new RouterError(e.getErrorCode(), e.getErrorCodeName(), e.getErrorMessage()).toReply();
        }
        log.error("command failed", cause);
        return new RouterError(ErrorCode.InternalError, "internal error: " + cause).toReply()
            .append("errmsgDetail", new BsonString(String.valueOf(cause.getMessage())));
    }
}
