package io.shardstore.router.engine;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

import io.shardstore.router.command.Replies;
import io.shardstore.router.topology.Routing;

/**
 * {@code findAndModify} ({@code findOneAndUpdate} / {@code findOneAndReplace} / {@code findOneAndDelete}) whose query
 * names no shard key (MongoDB 7.0): each shard the query may reach returns its first document in the command's
 * {@code sort}, the router takes the first of those, and the command runs on that document's shard with its
 * {@code _id} added to the query. If the document changed in between, it is found again (a few times at most).
 *
 * Exactly once under retries, as {@link WithoutShardKey}: each attempt carries its own {@code stmtId} (the client's plus
 * {@link RetryAttempts#STRIDE} per attempt) and the shards are asked first which attempt they executed; the
 * one that changed a document answers the retry from its record.
 */
public record FindAndModifyWithoutShardKey(Exec exec, String ns, Set<String> shards, BsonDocument command,
                                           BsonDocument written, Routing.Sharded routing) implements Plan {

    @Override
    public BsonDocument explain() {
        return Plan.describe("SHARD_WRITE", Scatter.sorted(shards));
    }

    @Override
    public CompletableFuture<BsonDocument> execute() {
        return attempt(0);
    }

    private boolean retryable() {
        return command.containsKey("txnNumber") && command.containsKey("lsid");
    }

    private int clientStmtId() {
        return command.isNumber("stmtId") ? command.getNumber("stmtId").intValue() : 0;
    }

    private CompletableFuture<BsonDocument> attempt(int tries) {
        if (tries >= RetryAttempts.ATTEMPTS) {
            return CompletableFuture.completedFuture(noMatch());
        }
        CompletableFuture<Map<String, BsonDocument>> executed = retryable()
            ? Scatter.send(exec, RetryAttempts.recording(exec, shards), RetryAttempts.statusCommand(command.get("lsid"), command.get("txnNumber"), clientStmtId()), null)
            : CompletableFuture.completedFuture(Map.of());
        return executed.thenCompose(statuses -> {
            RetryAttempts.Decision decision = RetryAttempts.decide(statuses, clientStmtId());
            if (decision.recordedShard() != null) {
                return send(decision.recordedShard(), command.getDocument("query", new BsonDocument()), decision.recordedStmtId());
            }
            if (decision.nextAttempt() >= RetryAttempts.ATTEMPTS) {
                return CompletableFuture.completedFuture(noMatch());
            }
            int stmtId = RetryAttempts.stmtId(clientStmtId(), decision.nextAttempt());
            return Scatter.send(exec, shards, FindFirst.command(ns, command.getDocument("query", new BsonDocument()),
                command.isDocument("sort") ? command.getDocument("sort") : null, command.get("let")), routing).thenCompose(found -> {
                String shard = null;
                BsonDocument best = null;
                Comparator<BsonDocument> order = command.isDocument("sort") ? SortOrder.of(command.getDocument("sort")) : null;
                for (String s : Scatter.sorted(found.keySet())) {
                    BsonArray batch = found.get(s).getDocument("cursor").getArray("firstBatch");
                    if (!batch.isEmpty() && (best == null || order != null && order.compare(batch.get(0).asDocument(), best) < 0)) {
                        best = batch.get(0).asDocument();
                        shard = s;
                    }
                }
                if (best == null) {
                    return CompletableFuture.completedFuture(noMatch());
                }
                BsonArray conditions = new BsonArray(List.of(command.getDocument("query", new BsonDocument()),
                    new BsonDocument("_id", best.get("_id"))));
                if (!written.isEmpty()) {
                    conditions.add(written); // the key as the update writes it: a document with another key does not match
                }
                String target = shard;
                BsonValue id = best.get("_id");
                return send(shard, new BsonDocument("$and", conditions), stmtId).thenCompose(reply -> {
                    if (!missed(reply)) {
                        return CompletableFuture.completedFuture(reply);
                    }
                    return changesKey(target, id).thenCompose(changes -> changes
                        ? CompletableFuture.<BsonDocument>failedFuture(io.shardstore.router.planner.ShardKeyGuard.immutable(written.getFirstKey()))
                        : attempt(tries + 1));
                });
            });
        });
    }

    /** Whether the document still matches the client's query: then only the key condition kept it from matching. */
    private CompletableFuture<Boolean> changesKey(String shard, BsonValue id) {
        if (written.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        return FindFirst.stillMatches(exec, routing, ns, shard, command.getDocument("query", new BsonDocument()), id, command.get("let"));
    }

    private CompletableFuture<BsonDocument> send(String shard, BsonDocument query, int stmtId) {
        BsonDocument cmd = Docs.copy(command);
        cmd.put("query", query);
        if (retryable()) {
            cmd.put("stmtId", new BsonInt32(stmtId));
        }
        return Scatter.send(exec, Set.of(shard), cmd, routing).thenApply(r -> Replies.check(r.get(shard)));
    }

    private static boolean missed(BsonDocument reply) {
        BsonDocument last = reply.getDocument("lastErrorObject", new BsonDocument());
        return last.isNumber("n") && last.getNumber("n").intValue() == 0;
    }

    /** What mongod answers when nothing matches (and no upsert). */
    private static BsonDocument noMatch() {
        return new BsonDocument("lastErrorObject", new BsonDocument("n", new BsonInt32(0))
            .append("updatedExisting", BsonBoolean.FALSE)).append("value", new org.bson.BsonNull()).append("ok", new org.bson.BsonDouble(1));
    }
}
