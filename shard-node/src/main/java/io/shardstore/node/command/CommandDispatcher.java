package io.shardstore.node.command;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import io.shardstore.node.replication.ReplicationCoordinator;
import io.shardstore.node.replication.ReplicationGuard;
import io.shardstore.node.replication.RetryableWrites;
import io.shardstore.protocol.ErrorCode;

/**
 * Runs a command: looks it up, counts it, runs it on the right thread, waits for the journal when the
 * write concern asks for it, and turns any failure into MongoDB's error reply.
 */
public final class CommandDispatcher {
    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);

    private final CommandRegistry registry;

    public CommandDispatcher(CommandRegistry registry) {
        this.registry = registry;
    }

    /**
     * Every request gets its reply: the future always completes, with the command's reply or an error reply, never
     * exceptionally, and a failure before the command runs (here, on the event loop) is such an error reply too
     * rather than an exception that would close the connection.
     */
    public CompletableFuture<Document> dispatch(CommandContext ctx) {
        Operations.Operation op = ctx.node().operations().started(ctx);
        if (ctx.body().get("lsid") instanceof Document lsid) {
            ctx.node().sessions().used(lsid.get("id"));
        }
        CompletableFuture<Document> reply;
        try {
            reply = route(ctx, op);
        } catch (RuntimeException e) {
            log.error("{} could not be dispatched", ctx.name(), e);
            reply = CompletableFuture.completedFuture(Errors.reply(e));
        }
        reply.whenComplete((r, t) -> ctx.node().operations().finished(op));
        if (ctx.name().equals("listDatabases") && ctx.node().options().security().auth() && ctx.connection() != null) {
            return reply.thenApply(r -> NodeAuthorization.authorizedDatabases(r, ctx));
        }
        return reply;
    }

    private CompletableFuture<Document> route(CommandContext ctx, Operations.Operation op) {
        if (io.shardstore.protocol.Transactions.ENDING.contains(ctx.name())) {
            return CompletableFuture.completedFuture(Errors.reply(ErrorCode.NoSuchTransaction, io.shardstore.protocol.Transactions.NO_TRANSACTION));
        }
        if (io.shardstore.protocol.Transactions.takesPart(ctx.body()::containsKey)) {
            // Multi-document transactions are not implemented: refused before anything runs, never applied one by one.
            return CompletableFuture.completedFuture(Errors.reply(io.shardstore.protocol.Transactions.refusedCode(),
                io.shardstore.protocol.Transactions.REFUSED));
        }
        Command found = registry.find(ctx.name());
        if (found == null) {
            return CompletableFuture.completedFuture(
                Errors.reply(ErrorCode.CommandNotFound, "no such command: '" + ctx.name() + "'"));
        }
        // As mongod: an unknown command is CommandNotFound (59) for anyone; a known one is then checked against the user.
        if (ctx.node().options().security().auth() && ctx.connection() != null) {
            String refusal = NodeAuthorization.refusal(ctx);
            if (refusal != null) {
                return CompletableFuture.completedFuture(Errors.reply(ErrorCode.Unauthorized, refusal));
            }
        }
        if (ctx.node().options().plain() && (ctx.name().startsWith("_shardsvr") || ctx.body().containsKey("shardVersion"))) {
            // --plain: a mongod without --shardsvr, which a router must not send shard versions to (issue 11).
            return CompletableFuture.completedFuture(Errors.reply(ErrorCode.NoShardingEnabled,
                "Cannot accept sharding commands if not started with --shardsvr"));
        }
        io.shardstore.protocol.CommandSyntax.Syntax syntax = found.options();
        if (syntax != null) {
            try {
                CommandOptions.check(syntax, ctx.body());
            } catch (MongoServerException refused) {
                return CompletableFuture.completedFuture(Errors.reply(refused));
            }
        }
        io.shardstore.engine.FailCommand failPoint = ctx.node().failCommand();
        io.shardstore.engine.FailCommand.Action failure = failPoint == null ? null
            : failPoint.check(ctx.name(), ctx.connection() == null ? null : ctx.connection().appName(), false);
        if (failure != null) {
            return FailCommandAction.apply(failure, ctx, () -> execute(found, ctx, op));
        }
        return execute(found, ctx, op);
    }

    private CompletableFuture<Document> execute(Command found, CommandContext ctx, Operations.Operation op) {
        ctx.node().opCounters().count(ctx.name(), ctx.body());
        ctx.node().top().count(ctx.db(), ctx.name(), ctx.body());
        Command onView = ViewRequests.forRequest(ctx, registry);
        Command command = onView != null ? onView : found.forRequest(ctx);
        if (command.inline()) {
            long delay = command.replyDelayMillis(ctx);
            if (delay > 0) {
                CompletableFuture<?> wake = command.wakeUp(ctx);
                CompletableFuture<Object> timer = new CompletableFuture<>();
                CompletableFuture.delayedExecutor(delay, java.util.concurrent.TimeUnit.MILLISECONDS).execute(() -> timer.complete(null));
                CompletableFuture<Object> first = wake == null ? timer : CompletableFuture.anyOf(timer, wake);
                return first.thenApplyAsync(x -> runSafely(command, ctx)).exceptionally(CommandDispatcher::failure);
            }
            return CompletableFuture.completedFuture(runSafely(command, ctx));
        }
        if (command.blocking()) {
            return CompletableFuture.supplyAsync(() -> runSafely(command, ctx), ctx.node().blockingExecutor())
                .exceptionally(CommandDispatcher::failure);
        }
        Object shardVersion = ctx.body().remove("shardVersion");
        ReplicationCoordinator replication = ctx.node().replication();
        if (replication != null && !ReplicationGuard.isWrite(command, ctx)) {
            CompletableFuture<Document> readConcern = io.shardstore.node.replication.ReadConcernWait.before(ctx.body(), replication);
            if (readConcern != null) {
                return readConcern.thenCompose(error -> error != null ? CompletableFuture.completedFuture(error)
                    : runOnStorage(command, ctx, shardVersion, op)).exceptionally(CommandDispatcher::failure);
            }
        }
        return runOnStorage(command, ctx, shardVersion, op);
    }

    /**
     * Runs a storage command. A versioned write to a collection in a migration's critical section waits
     * for the section to end, then is checked again (and is most likely stale by then).
     */
    private CompletableFuture<Document> runOnStorage(Command command, CommandContext ctx, Object shardVersion, Operations.Operation op) {
        if (command.concurrentRead(ctx)) {
            return ctx.node().storage().read(() -> readOnStorage(command, ctx, shardVersion), maxTimeMillis(ctx), op::killed)
                .exceptionally(CommandDispatcher::failure);
        }
        return ctx.node().storage().submit(() -> {
            if (shardVersion != null) {
                String ns = ctx.namespace();
                CompletableFuture<Void> exit = ctx.node().sharding().criticalSectionExit(ns);
                if (command.writes() && !exit.isDone()) {
                    return exit.thenCompose(done -> runOnStorage(command, ctx, shardVersion, op));
                }
                try {
                    ctx.node().sharding().check(ns, shardVersion);
                } catch (MongoServerException e) {
                    return CompletableFuture.completedFuture(Errors.reply(e));
                }
            }
            ReplicationCoordinator replication = ctx.node().replication();
            if (replication != null) {
                Document refusal = ReplicationGuard.refusal(command, ctx, replication);
                if (refusal != null) {
                    return CompletableFuture.completedFuture(refusal);
                }
            }
            // Only a real write waits for the journal or for other members: an aggregate without $out / $merge is a
            // read although its handler writes() (for those stages). A read that waited for w: "majority" at this
            // member's last applied optime was never answered when that optime's term had been left by every other
            // member (a deposed primary just after its rollback): its positions in the new term never count for it.
            // Writes to the local database are not logged, so no other member will ever apply them either.
            boolean write = ReplicationGuard.isWrite(command, ctx);
            boolean replicates = replication != null && write && !"local".equals(ctx.db());
            RetryableWrites.Key retryKey = replication != null && command.writes() ? RetryableWrites.keyOf(ctx.body()) : null;
            Document reply;
            if (retryKey != null) {
                // Each statement applied at most once; the write's entries and its retryable-write record become
                // visible to secondaries together.
                replication.oplog().hold();
                try {
                    reply = new RetryableStatements(command, ctx, retryKey, replication, c -> runSafely(command, c)).run();
                } finally {
                    replication.oplog().release();
                }
            } else {
                reply = runSafely(command, ctx);
            }
            CompletableFuture<Document> replicated = !replicates || !isOk(reply) ? null
                : replication.writeConcern().await(replication.lastApplied(), ctx.body().get("writeConcern"), maxTimeMillis(ctx));
            if (write && (ctx.journalRequested() || replicated != null)) {
                // Called on the storage thread right after the write, so the flush covers its effects. The reply
                // is copied here because it may hold the engine's stored documents, and it is encoded on the
                // journal's thread, while later writes may change those documents.
                Document detached = reply.cloneDeeply();
                CompletableFuture<Void> flushed = ctx.journalRequested() ? ctx.node().storage().flushed()
                    : CompletableFuture.completedFuture(null);
                if (replicated == null) {
                    return flushed.thenApply(done -> detached);
                }
                return flushed.thenCombine(replicated, (done, writeConcernError) -> {
                    if (writeConcernError != null) {
                        detached.put("writeConcernError", writeConcernError);
                        if (retryKey != null) {
                            RetryableWrites.labelRetryableWriteConcernError(detached);
                        }
                    }
                    return detached;
                });
            }
            return CompletableFuture.completedFuture(reply);
        }).thenCompose(f -> f).exceptionally(CommandDispatcher::failure);
    }

    /**
     * A read on a reader thread (see {@link Command#concurrentRead}): the same checks as a write's path, no journal
     * and no write concern. The reply is encoded before the read lock goes ({@link EncodedReply}): it may hold the
     * engine's stored documents, which a write may change once the read is over.
     */
    private static Document readOnStorage(Command command, CommandContext ctx, Object shardVersion) {
        if (shardVersion != null) {
            try {
                ctx.node().sharding().check(ctx.namespace(), shardVersion);
            } catch (MongoServerException e) {
                return Errors.reply(e);
            }
        }
        ReplicationCoordinator replication = ctx.node().replication();
        if (replication != null) {
            Document refusal = ReplicationGuard.refusal(command, ctx, replication);
            if (refusal != null) {
                return refusal;
            }
        }
        return EncodedReply.of(runSafely(command, ctx));
    }

    /** The command's maxTimeMS, 0 when it has none. */
    private static long maxTimeMillis(CommandContext ctx) {
        return ctx.body().get("maxTimeMS") instanceof Number n && n.longValue() > 0 ? n.longValue() : 0;
    }

    private static boolean isOk(Document reply) {
        return reply.get("ok") instanceof Number ok && ok.doubleValue() == 1.0;
    }

    private static Document runSafely(Command command, CommandContext ctx) {
        Document reply;
        try {
            reply = command.run(ctx);
            if (!reply.containsKey("ok")) {
                reply.put("ok", 1.0);
            }
        } catch (MongoServerException e) {
            log.debug("{} failed: {}", ctx.name(), e.getMessage());
            reply = Errors.reply(e);
        } catch (RuntimeException e) {
            log.error("{} failed unexpectedly", ctx.name(), e);
            return Errors.reply(e);
        }
        if (command.writes() && !command.inline() && !command.blocking()) {
            try {
                io.shardstore.node.command.data.DuplicateKeyDetails.complete(ctx, reply); // on the storage thread
            } catch (RuntimeException e) {
                log.warn("{}: duplicate key details not added: {}", ctx.name(), e.toString());
            }
        }
        return reply;
    }

    private static Document failure(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        log.error("command failed", cause);
        return Errors.reply(cause);
    }
}
