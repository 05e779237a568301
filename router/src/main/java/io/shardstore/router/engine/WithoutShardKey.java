package io.shardstore.router.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

import io.shardstore.router.command.RouterError;
import io.shardstore.router.topology.Routing;

/**
 * A single-document update or delete whose filter pins no shard ({@code updateOne} / {@code deleteOne} /
 * {@code replaceOne} by a field that is not the shard key), as MongoDB 7.0 runs it: find one matching document on the
 * shards it may be on, then write it where it lives, with its {@code _id} added to the filter. If the document
 * changed in between (the write matches nothing), it is found again, a few times at most.
 *
 * Exactly once, also under retries (the drivers' default): each attempt of a retryable write carries its own
 * statement id (the client's, plus {@link RetryAttempts#STRIDE} per attempt), and before placing the write the router asks
 * every shard which of those ids it has executed ({@code _shardsvrRetryableStatus}). An attempt that wrote a document
 * sends the retry back to that shard, which answers from its record; an attempt that wrote nothing is passed over.
 * Without that, a retry whose first attempt's reply was lost could find another matching document and write it too.
 */
final class WithoutShardKey {
    private final Exec exec;
    private final String ns;
    private final String kind;
    private final BsonDocument base;
    private final Routing.Sharded routing;

    WithoutShardKey(Exec exec, String ns, String kind, BsonDocument base, Routing.Sharded routing) {
        this.exec = exec;
        this.ns = ns;
        this.kind = kind;
        this.base = base;
        this.routing = routing;
    }

    /**
     * Places {@code t}'s statement. When the update writes the shard key, the statement's filter also requires the
     * key's present value ({@link io.shardstore.router.planner.ShardKeyGuard}); a document that matches the client's
     * filter but not that one would have its key changed: ImmutableField (66), as with the key in the filter.
     */
    CompletableFuture<Void> run(WriteResult result, int index, WriteSplit.Targeted t) {
        return attempt(result, index, t, t.shards(), 0);
    }

    /** The client's own filter (without the shard key guard's condition). */
    private static BsonDocument clientFilter(WriteSplit.Targeted t) {
        BsonDocument q = t.statement().getDocument("q", new BsonDocument());
        return t.written().isEmpty() ? q : q.getArray("$and").get(0).asDocument();
    }

    private boolean retryable() {
        return base.containsKey("txnNumber") && base.containsKey("lsid");
    }

    /** The client's id of this statement (its stmtIds entry, else its index in the batch). */
    private int clientStmtId(int index) {
        BsonValue sent = base.get("stmtIds");
        return sent != null && sent.isArray() && sent.asArray().get(index).isNumber() ? sent.asArray().get(index).asNumber().intValue() : index;
    }

    private CompletableFuture<Void> attempt(WriteResult result, int index, WriteSplit.Targeted t, Set<String> shards, int tries) {
        BsonDocument statement = t.statement();
        if (tries >= RetryAttempts.ATTEMPTS) {
            result.add(noMatch(), List.of(index)); // kept changing under us: report what the last attempt saw
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Map<String, BsonDocument>> executed = retryable()
            ? Scatter.send(exec, RetryAttempts.recording(exec, shards), RetryAttempts.statusCommand(base.get("lsid"), base.get("txnNumber"), clientStmtId(index)), null)
            : CompletableFuture.completedFuture(Map.of());
        return executed.thenCompose(statuses -> {
            RetryAttempts.Decision decision = RetryAttempts.decide(statuses, clientStmtId(index));
            if (decision.recordedShard() != null) {
                // A former attempt wrote a document there: that shard answers the retry from its record.
                return write(result, index, statement, decision.recordedShard(), decision.recordedStmtId(), false)
                    .thenApply(settled -> (Void) null);
            }
            int attemptNo = decision.nextAttempt();
            if (attemptNo >= RetryAttempts.ATTEMPTS) {
                result.add(noMatch(), List.of(index));
                return CompletableFuture.<Void>completedFuture(null);
            }
            return Scatter.send(exec, shards, FindFirst.command(ns, clientFilter(t), null, base.get("let")), routing).thenCompose(found -> {
                for (String shard : Scatter.sorted(found.keySet())) {
                    BsonArray batch = found.get(shard).getDocument("cursor").getArray("firstBatch");
                    if (!batch.isEmpty()) {
                        BsonDocument pinned = Docs.copy(statement);
                        BsonValue id = batch.get(0).asDocument().get("_id");
                        pinned.put("q", new BsonDocument("$and", new BsonArray(List.of(statement.getDocument("q", new BsonDocument()),
                            new BsonDocument("_id", id)))));
                        int stmtId = RetryAttempts.stmtId(clientStmtId(index), attemptNo);
                        return write(result, index, pinned, shard, stmtId, true).thenCompose(wrote -> wrote
                            ? CompletableFuture.<Void>completedFuture(null)
                            : changesKey(t, shard, id).thenCompose(changes -> {
                                if (changes) {
                                    RouterError e = io.shardstore.router.planner.ShardKeyGuard.immutable(t.written().getFirstKey());
                                    result.error(index, e.code(), e.codeName(), e.getMessage());
                                    return CompletableFuture.<Void>completedFuture(null);
                                }
                                return attempt(result, index, t, shards, tries + 1);
                            }));
                    }
                }
                result.add(noMatch(), List.of(index)); // no document matches anywhere
                return CompletableFuture.<Void>completedFuture(null);
            });
        });
    }

    /**
     * Sends the statement to one shard; completes with whether it is settled (it wrote a document, or failed, or
     * answered from a record), false when it matched nothing and may be placed again.
     */
    private CompletableFuture<Boolean> write(WriteResult result, int index, BsonDocument statement, String shard, int stmtId,
                                             boolean mayMiss) {
        BsonDocument cmd = Docs.copy(base);
        cmd.put(kind.equals("update") ? "updates" : "deletes", new BsonArray(List.of(statement)));
        cmd.put("ordered", BsonBoolean.TRUE);
        cmd.remove("stmtIds");
        if (retryable()) {
            cmd.put("stmtIds", new BsonArray(List.of(new BsonInt32(stmtId))));
        }
        return Scatter.send(exec, Set.of(shard), cmd, routing).thenApply(replies -> {
            BsonDocument reply = replies.get(shard);
            boolean missed = mayMiss && reply.isNumber("n") && reply.getNumber("n").intValue() == 0 && !reply.containsKey("writeErrors");
            if (!missed) {
                result.add(reply, List.of(index));
            }
            return !missed;
        });
    }

    /** Whether the document still matches the client's filter: then only the key guard kept it from matching. */
    private CompletableFuture<Boolean> changesKey(WriteSplit.Targeted t, String shard, BsonValue id) {
        if (t.written().isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        return FindFirst.stillMatches(exec, routing, ns, shard, clientFilter(t), id, base.get("let"));
    }

    private static BsonDocument noMatch() {
        return new BsonDocument("n", new BsonInt32(0)).append("nModified", new BsonInt32(0)).append("ok", new org.bson.BsonDouble(1));
    }
}
