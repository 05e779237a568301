package io.shardstore.router.engine;


import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.Replies;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.planner.ShardKeyGuard;
import io.shardstore.router.planner.Targeting;
import io.shardstore.router.topology.Routing;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * update and delete on a sharded collection, one statement at a time: a statement pinned by the shard key
 * goes to its shard; a multi statement goes to every shard it may touch; a single-document statement
 * without the shard key goes everywhere only when it names an {@code _id}, else it is refused as mongos
 * refuses it. Updates never change a shard key (see {@link ShardKeyGuard}).
 */
public record WriteSplit(Exec exec, String ns, String kind, BsonDocument base, List<BsonDocument> statements, boolean ordered,
                         Routing.Sharded routing) implements Plan {

    /**
     * The shards a statement goes to, or an error for the statement. {@code withoutKey}: a single-document statement
     * whose filter pins no shard (no shard key, no {@code _id}): it is placed by {@link WithoutShardKey}.
     */
    record Targeted(Set<String> shards, BsonDocument statement, BsonDocument written, RouterError error, boolean withoutKey) {
        Targeted(Set<String> shards, BsonDocument statement, BsonDocument written, RouterError error) {
            this(shards, statement, written, error, false);
        }
    }

    @Override
    public CompletableFuture<BsonDocument> execute() {
        WriteResult result = new WriteResult();
        return run(result, 0).thenApply(done -> result.reply(base.containsKey("txnNumber") && exec.gateway().shardsRecordRetryableWrites()));
    }

    private CompletableFuture<Void> run(WriteResult result, int i) {
        if (i >= statements.size() || (ordered && result.firstError() >= 0)) {
            return CompletableFuture.completedFuture(null);
        }
        Targeted t = target(kind, statements.get(i), routing.chunks());
        if (t.error() != null) {
            result.error(i, t.error().code(), t.error().codeName(), t.error().getMessage());
            return run(result, i + 1);
        }
        if (t.withoutKey() && t.shards().size() > 1) {
            return new WithoutShardKey(exec, ns, kind, base, routing).run(result, i, t)
                .handle((done, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                        RouterError e = cause instanceof RouterError r ? r : new RouterError(ErrorCode.InternalError, cause.toString());
                        result.error(i, e.code(), e.codeName(), e.getMessage());
                    }
                    return null;
                }).thenCompose(done -> run(result, i + 1));
        }
        return statement(result, i, t).thenCompose(done -> run(result, i + 1));
    }

    private CompletableFuture<Void> statement(WriteResult result, int index, Targeted t) {
        BsonDocument cmd = Docs.copy(base);
        cmd.put(kind.equals("update") ? "updates" : "deletes", new BsonArray(List.of(t.statement())));
        cmd.put("ordered", BsonBoolean.TRUE);
        StatementIds.put(cmd, base, List.of(index));
        return Scatter.send(exec, t.shards(), cmd, routing).handle((replies, failure) -> {
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                RouterError e = cause instanceof RouterError r ? r : new RouterError(ErrorCode.InternalError, cause.toString());
                result.error(index, e.code(), e.codeName(), e.getMessage());
                return CompletableFuture.<Void>completedFuture(null);
            }
            long before = result.n;
            replies.values().forEach(r -> result.add(r, List.of(index)));
            if (!t.written().isEmpty() && result.n == before) {
                return wouldChangeKey(t).thenAccept(changed -> {
                    if (changed) {
                        RouterError e = ShardKeyGuard.immutable(t.written().getFirstKey());
                        result.error(index, e.code(), e.codeName(), e.getMessage());
                    }
                });
            }
            return CompletableFuture.<Void>completedFuture(null);
        }).thenCompose(f -> f);
    }

    /** The update matched nothing once made conditional on the key: did the plain filter match a document? */
    private CompletableFuture<Boolean> wouldChangeKey(Targeted t) {
        BsonDocument original = t.statement().getDocument("q").getArray("$and").get(0).asDocument();
        BsonDocument count = new BsonDocument("count", new org.bson.BsonString(ns.substring(ns.indexOf('.') + 1)))
            .append("query", original).append("$db", new org.bson.BsonString(ns.substring(0, ns.indexOf('.'))));
        return Scatter.send(exec, t.shards(), count, routing)
            .thenApply(replies -> replies.values().stream().anyMatch(r -> r.getNumber("n").longValue() > 0));
    }

    /**
     * The one shard every statement goes to, when each is pinned to it as sent (no statement refused or rewritten
     * by {@link ShardKeyGuard}): then the batch can be forwarded as it came. Else null. The statements are decoded
     * documents ({@code WriteCommand} decodes them once): targeting and the guard read their fields many times over.
     */
    public static String singleShard(String kind, List<? extends BsonDocument> statements, ChunkMap map) {
        String shard = null;
        for (BsonDocument s : statements) {
            Targeted t = target(kind, s, map);
            if (t.error() != null || t.statement() != s || t.shards().size() != 1) {
                return null;
            }
            String only = t.shards().iterator().next();
            if (shard != null && !shard.equals(only)) {
                return null;
            }
            shard = only;
        }
        return shard;
    }

    private static Targeted target(String kind, BsonDocument statement, ChunkMap map) {
        ShardKeyPattern key = map.keyPattern();
        BsonDocument filter = statement.getDocument("q", new BsonDocument());
        boolean multi = kind.equals("update") ? statement.getBoolean("multi", BsonBoolean.FALSE).getValue()
            : statement.isNumber("limit") && statement.getNumber("limit").intValue() == 0;
        boolean upsert = kind.equals("update") && statement.getBoolean("upsert", BsonBoolean.FALSE).getValue();
        BsonDocument written = new BsonDocument();
        BsonDocument sent = statement;
        try {
            if (kind.equals("update")) {
                written = ShardKeyGuard.writtenKey(key, filter, statement.get("u"));
                if (!written.isEmpty()) {
                    sent = Docs.copy(statement);
                    BsonArray and = new BsonArray(List.of(filter, written));
                    sent.put("q", new BsonDocument("$and", and));
                }
            }
        } catch (RouterError e) {
            return new Targeted(Set.of(), statement, written, e);
        }
        String point = Targeting.pointShard(map, filter);
        if (point != null) {
            return new Targeted(Set.of(point), sent, written, null);
        }
        List<BsonDocument> keys = Targeting.exactKeys(key, filter);
        if (keys == null && upsert && statement.isDocument("u") && !statement.getDocument("u").getFirstKey().startsWith("$")) {
            keys = Targeting.exactKeys(key, statement.getDocument("u"));
        }
        if (keys != null) {
            Set<String> shards = new LinkedHashSet<>();
            keys.forEach(k -> shards.add(map.chunkFor(k).shard()));
            return new Targeted(shards, sent, written, null);
        }
        if (upsert) {
            return new Targeted(Set.of(), statement, written, new RouterError(ErrorCode.ShardKeyNotFound,
                "Failed to target upsert by query :: could not extract exact shard key from " + filter.toJson() + " for pattern " + key));
        }
        if (multi) {
            return new Targeted(Targeting.shardsFor(map, filter).shards(), sent, written, null);
        }
        BsonValue id = filter.get("_id");
        if (id != null && !(id.isDocument() && !id.asDocument().isEmpty() && id.asDocument().getFirstKey().startsWith("$"))) {
            return new Targeted(map.allShards(), sent, written, null);
        }
        // MongoDB 7.0: found first, then written where it lives (WithoutShardKey).
        return new Targeted(Targeting.shardsFor(map, filter).shards(), sent, written, null, true);
    }

    @Override
    public BsonDocument explain() {
        Set<String> shards = new LinkedHashSet<>();
        for (BsonDocument s : statements) {
            Targeted t = target(kind, s, routing.chunks());
            if (t.error() != null) {
                throw t.error(); // the statement would be refused: explain says so, as for findAndModify
            }
            shards.addAll(t.shards());
        }
        return Plan.describe(shards.size() == 1 ? "SINGLE_SHARD" : "SHARD_WRITE", shards);
    }

}
