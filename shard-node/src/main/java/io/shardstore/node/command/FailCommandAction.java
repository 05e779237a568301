package io.shardstore.node.command;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.engine.FailCommand;
import io.shardstore.protocol.ErrorCode;

/** Does to one request what the failCommand fail point says: wait, close the connection, fail, or add a writeConcernError. */
final class FailCommandAction {
    private static final java.util.Set<String> WRITES = java.util.Set.of("insert", "update", "delete", "findAndModify", "findandmodify");

    private FailCommandAction() {
    }

    static CompletableFuture<Document> apply(FailCommand.Action action, CommandContext ctx, Supplier<CompletableFuture<Document>> run) {
        if (action.blockMillis() > 0) {
            // blockConnection: held off the event loop, then the rest of the action.
            FailCommand.Action rest = new FailCommand.Action(action.errorCode(), action.closeConnection(), 0,
                action.errorLabels(), action.writeConcernError());
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(action.blockMillis(), TimeUnit.MILLISECONDS))
                .thenCompose(x -> apply(rest, ctx, run));
        }
        if (action.closeConnection()) {
            ctx.channel().close(); // the reply below is never written: the client sees the connection go
            return CompletableFuture.completedFuture(Errors.reply(ErrorCode.InternalError, "connection closed by failCommand"));
        }
        boolean retryableWrite = WRITES.contains(ctx.name()) && ctx.body().containsKey("txnNumber") && !ctx.body().containsKey("autocommit");
        if (action.fails()) {
            return CompletableFuture.completedFuture(FailCommand.errorReply(action, ErrorCode.nameOf(action.errorCode()),
                retryableWrite, ErrorCode.RETRYABLE_WRITE_CODES));
        }
        if (action.writeConcernError() != null) {
            return run.get().thenApply(EncodedReply::decoded).thenApply(reply -> {
                reply.put("writeConcernError", action.writeConcernError().cloneDeeply());
                if (action.errorLabels() != null) {
                    reply.put("errorLabels", action.errorLabels());
                } else if (retryableWrite) {
                    io.shardstore.node.replication.RetryableWrites.labelRetryableWriteConcernError(reply);
                }
                return reply;
            });
        }
        return run.get();
    }
}
