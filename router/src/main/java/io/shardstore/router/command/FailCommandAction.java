package io.shardstore.router.command;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;

import io.shardstore.engine.FailCommand;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.MergeEngine;
import io.shardstore.router.frontend.RouterRequest;

/** Does to one client request what the router's failCommand fail point says (the node's twin: FailCommandAction there). */
final class FailCommandAction {
    private static final java.util.Set<String> WRITES = java.util.Set.of("insert", "update", "delete", "findAndModify", "findandmodify");

    private FailCommandAction() {
    }

    static CompletableFuture<BsonDocument> apply(FailCommand.Action action, RouterRequest request, Exec exec,
                                                 Supplier<CompletableFuture<BsonDocument>> run) {
        if (action.blockMillis() > 0) {
            FailCommand.Action rest = new FailCommand.Action(action.errorCode(), action.closeConnection(), 0,
                action.errorLabels(), action.writeConcernError());
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(action.blockMillis(), TimeUnit.MILLISECONDS))
                .thenCompose(x -> apply(rest, request, exec, run));
        }
        if (action.closeConnection()) {
            if (exec.client() != null) {
                exec.client().close(); // the reply below is never written: the client sees the connection go
            }
            return CompletableFuture.completedFuture(new RouterError(ErrorCode.InternalError, "connection closed by failCommand").toReply());
        }
        boolean retryableWrite = WRITES.contains(request.name()) && request.value("txnNumber") != null && request.value("autocommit") == null;
        if (action.fails()) {
            return CompletableFuture.completedFuture(MergeEngine.fromEngine(FailCommand.errorReply(action,
                ErrorCode.nameOf(action.errorCode()), retryableWrite, ErrorCode.RETRYABLE_WRITE_CODES)));
        }
        if (action.writeConcernError() != null) {
            return run.get().thenApply(reply -> {
                BsonDocument out = new BsonDocument();
                out.putAll(reply); // the shard's reply may be a RawBsonDocument, which cannot change
                BsonDocument wce = MergeEngine.fromEngine(action.writeConcernError());
                out.put("writeConcernError", wce.clone());
                if (action.errorLabels() != null) {
                    BsonArray labels = new BsonArray();
                    action.errorLabels().forEach(l -> labels.add(new BsonString(l)));
                    out.put("errorLabels", labels);
                } else if (retryableWrite && wce.isNumber("code")
                    && ErrorCode.RETRYABLE_WRITE_CODES.contains(wce.getNumber("code").intValue())) {
                    out.put("errorLabels", new BsonArray(java.util.List.of(new BsonString("RetryableWriteError"))));
                }
                return out;
            });
        }
        return run.get();
    }
}
