package io.shardstore.router.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.Replies;
import io.shardstore.router.command.RouterError;

/**
 * {@code db.getSiblingDB("admin").aggregate([{$listSampledQueries: {namespace: "db.coll"}}])} (MongoDB 7.0): the
 * queries configureQueryAnalyzer sampled, in MongoDB's layout. Only on admin and only as the whole pipeline; read on
 * the analysis threads (the config server client blocks).
 */
public record ListSampledQueries(Exec exec, String db, List<BsonDocument> pipeline) implements Plan {

    @Override
    public BsonDocument explain() {
        return Plan.describe("LIST_SAMPLED_QUERIES", List.of());
    }

    @Override
    public CompletableFuture<BsonDocument> execute() {
        if (!db.equals("admin")) {
            return CompletableFuture.failedFuture(new RouterError(ErrorCode.InvalidNamespace,
                "$listSampledQueries must be run against the 'admin' database with {aggregate: 1}"));
        }
        if (pipeline.size() > 1) {
            return CompletableFuture.failedFuture(new RouterError(ErrorCode.NotImplemented,
                "$listSampledQueries followed by other stages is not supported by this server"));
        }
        BsonValue spec = pipeline.get(0).get("$listSampledQueries");
        if (!(spec instanceof BsonDocument options)) {
            return CompletableFuture.failedFuture(new RouterError(ErrorCode.TypeMismatch,
                "$listSampledQueries takes a document, e.g. {namespace: \"db.coll\"}"));
        }
        BsonValue ns = options.get("namespace");
        if (ns != null && !ns.isString()) {
            return CompletableFuture.failedFuture(new RouterError(ErrorCode.TypeMismatch,
                "BSON field '$listSampledQueries.namespace' is the wrong type, expected type 'string'"));
        }
        return CompletableFuture.supplyAsync(() -> Replies.cursor("admin.$cmd.aggregate", 0,
            exec.analyzers().samplesOf(ns == null ? null : ns.asString().getValue()), true), exec.analyzers().analysisExecutor());
    }
}
