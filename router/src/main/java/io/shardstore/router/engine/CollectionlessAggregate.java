package io.shardstore.router.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.protocol.SessionRegistry;
import io.shardstore.router.command.Replies;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.planner.PipelineSplit;

/**
 * {@code aggregate: 1} through the router, as mongos runs it: the first stage makes the documents ({@code $documents}:
 * the given ones; {@code $currentOp}: the operations running on every shard and on the config server, each with its {@code shard} ("config" for the config server), admin only;
 * {@code $listLocalSessions}: the sessions this router has seen), and the rest of the pipeline runs over them in the
 * router's merge engine. Stages that need a collection ($lookup, $unionWith, $out...) are refused (238) there.
 */
public record CollectionlessAggregate(Exec exec, String db, List<BsonDocument> pipeline) implements Plan {
    private static final java.util.Set<String> NEEDS_COLLECTIONS = java.util.Set.of("$lookup", "$graphLookup", "$unionWith",
        "$out", "$merge");

    /** Whether this plan answers a pipeline starting with {@code stage}. */
    public static boolean handles(String stage) {
        return stage.equals("$documents") || stage.equals("$currentOp") || stage.equals("$listLocalSessions");
    }

    @Override
    public BsonDocument explain() {
        return Plan.describe("COLLECTIONLESS", List.of());
    }

    @Override
    public CompletableFuture<BsonDocument> execute() {
        String first = PipelineSplit.stageName(pipeline.get(0));
        List<BsonDocument> rest = pipeline.subList(1, pipeline.size());
        for (BsonDocument stage : rest) {
            if (NEEDS_COLLECTIONS.contains(PipelineSplit.stageName(stage))) {
                return CompletableFuture.failedFuture(new RouterError(ErrorCode.NotImplemented,
                    PipelineSplit.stageName(stage) + " after " + first + " is not supported by this server"));
            }
        }
        CompletableFuture<List<BsonDocument>> input = switch (first) {
            case "$documents" -> CompletableFuture.completedFuture(documents(pipeline.get(0).get(first)));
            case "$currentOp" -> currentOp(pipeline.get(0).get(first));
            default -> CompletableFuture.completedFuture(localSessions());
        };
        return input.thenCompose(docs -> {
            // Leading $match stages first, without the engine (see LeadingMatch: the documents may hold "$" names).
            List<de.bwaldvogel.mongo.bson.Document> asEngine = new ArrayList<>();
            docs.forEach(d -> asEngine.add(MergeEngine.toEngine(d)));
            List<de.bwaldvogel.mongo.bson.Document> restAsEngine = new ArrayList<>();
            rest.forEach(s -> restAsEngine.add(MergeEngine.toEngine(s)));
            io.shardstore.engine.LeadingMatch.Result matched;
            try {
                matched = io.shardstore.engine.LeadingMatch.apply(asEngine, restAsEngine);
            } catch (de.bwaldvogel.mongo.exception.MongoServerException e) {
                int code = e instanceof de.bwaldvogel.mongo.exception.MongoServerError err ? err.getCode() : ErrorCode.BadValue.code();
                throw new RouterError(code, ErrorCode.nameOf(code), e.getMessageWithoutErrorCode());
            }
            List<BsonDocument> passed = new ArrayList<>();
            matched.documents().forEach(d -> passed.add(MergeEngine.fromEngine(d)));
            List<BsonDocument> after = rest.subList(rest.size() - matched.rest().size(), rest.size());
            return after.isEmpty() ? CompletableFuture.completedFuture(passed) : exec.merger().run(passed, after, Map.of());
        })
            .thenApply(out -> Replies.cursor(db + ".$cmd.aggregate", 0, out, true));
    }

    private static List<BsonDocument> documents(BsonValue value) {
        if (!value.isArray()) {
            throw new RouterError(ErrorCode.NotImplemented, "$documents takes a literal array of documents here; an expression is not supported");
        }
        List<BsonDocument> docs = new ArrayList<>();
        for (BsonValue v : value.asArray()) {
            if (!v.isDocument()) {
                throw new RouterError(5858203, "Location5858203", "an array is expected: every element of $documents must be an object");
            }
            docs.add(v.asDocument());
        }
        return docs;
    }

    private CompletableFuture<List<BsonDocument>> currentOp(BsonValue spec) {
        if (!db.equals("admin")) {
            throw new RouterError(ErrorCode.InvalidNamespace, "$currentOp must be run against the 'admin' database with {aggregate: 1}");
        }
        BsonDocument options = spec.isDocument() ? spec.asDocument() : new BsonDocument();
        if (options.getBoolean("localOps", org.bson.BsonBoolean.FALSE).getValue()) {
            throw new RouterError(ErrorCode.NotImplemented, "$currentOp option localOps: true is not supported by this router");
        }
        return exec.catalog().shards().thenCompose(shards -> {
            Map<String, CompletableFuture<? extends BsonDocument>> calls = new LinkedHashMap<>();
            // The config server too: its background work (a resharding's coordinator) is listed there, as mongos lists it.
            List<String> servers = new ArrayList<>(shards.keySet());
            servers.add(io.shardstore.router.gateway.ShardGateway.CONFIG);
            for (String shard : servers) {
                calls.put(shard, exec.gateway().command(shard, new BsonDocument("aggregate", new BsonInt32(1))
                    .append("pipeline", new BsonArray(List.of(new BsonDocument("$currentOp", options))))
                    .append("cursor", new BsonDocument()).append("$db", new BsonString("admin"))));
            }
            return CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
                List<BsonDocument> ops = new ArrayList<>();
                calls.forEach((shard, call) -> {
                    BsonDocument reply = Replies.check(call.join());
                    for (BsonValue op : reply.getDocument("cursor").getArray("firstBatch")) {
                        BsonDocument withShard = new BsonDocument("shard", new BsonString(shard));
                        withShard.putAll(op.asDocument());
                        // As mongos lists it: "<shard>:<opid>", what killOp through the router takes.
                        BsonValue opid = withShard.get("opid");
                        if (opid != null && opid.isNumber()) {
                            withShard.put("opid", new BsonString(shard + ":" + opid.asNumber().longValue()));
                        }
                        ops.add(withShard);
                    }
                });
                return ops;
            });
        });
    }

    private List<BsonDocument> localSessions() {
        BsonBinary uid = new BsonBinary(SessionRegistry.anonymousUid());
        List<BsonDocument> out = new ArrayList<>();
        exec.router().sessions().live().forEach((id, lastUse) -> out.add(new BsonDocument("_id",
            new BsonDocument("id", io.shardstore.router.frontend.SessionKey.toBson(id)).append("uid", uid)).append("lastUse", new BsonDateTime(lastUse))));
        return out;
    }
}
