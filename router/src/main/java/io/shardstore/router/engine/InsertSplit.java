package io.shardstore.router.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.Replies;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.topology.Routing;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * An insert into a sharded collection, split into per-shard batches. A document missing a shard-key field
 * is refused (ShardKeyNotFound, 61) and written nowhere. Ordered inserts send consecutive runs in order and
 * stop at the first error; unordered ones send every shard its batch at once. A batch refused as stale is
 * re-targeted after a refresh, so no document is written twice.
 */
public record InsertSplit(Exec exec, String ns, BsonDocument base, List<BsonDocument> docs, boolean ordered, Routing.Sharded routing)
    implements Plan {
    private static final int MAX_STALE_RETRIES = 5;

    @Override
    public CompletableFuture<BsonDocument> execute() {
        WriteResult result = new WriteResult();
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            pending.add(i);
        }
        return send(result, pending, routing, 0)
            .thenApply(done -> result.reply(base.containsKey("txnNumber") && exec.gateway().shardsRecordRetryableWrites()));
    }

    private CompletableFuture<Void> send(WriteResult result, List<Integer> indexes, Routing.Sharded table, int attempt) {
        ChunkMap map = table.chunks();
        ShardKeyPattern key = map.keyPattern();
        List<Map.Entry<String, List<Integer>>> runs = new ArrayList<>();
        Map<String, List<Integer>> byShard = new LinkedHashMap<>();
        int keyless = -1;
        String keylessMessage = null;
        for (int i : indexes) {
            BsonDocument doc = docs.get(i);
            String missing = key.firstMissingField(doc);
            if (missing != null) {
                String message = "document " + idOf(doc) + " does not contain shard key field '" + missing + "' for pattern " + key;
                if (ordered) {
                    // Reported only if every document before it was written: an ordered insert stops at its first error.
                    keyless = i;
                    keylessMessage = message;
                    break;
                }
                result.error(i, ErrorCode.ShardKeyNotFound.code(), ErrorCode.ShardKeyNotFound.codeName(), message);
                continue;
            }
            String shard = map.chunkFor(key.keyOf(doc)).shard();
            if (ordered) {
                if (runs.isEmpty() || !runs.get(runs.size() - 1).getKey().equals(shard)) {
                    runs.add(Map.entry(shard, new ArrayList<>()));
                }
                runs.get(runs.size() - 1).getValue().add(i);
            } else {
                byShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(i);
            }
        }
        if (ordered) {
            int failedAt = keyless;
            String failure = keylessMessage;
            return sendRuns(result, runs, 0, table, attempt).thenRun(() -> {
                if (failedAt >= 0 && result.firstError() < 0) {
                    result.error(failedAt, ErrorCode.ShardKeyNotFound.code(), ErrorCode.ShardKeyNotFound.codeName(), failure);
                }
            });
        }
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        byShard.forEach((shard, batch) -> calls.add(sendBatch(result, shard, batch, table, attempt)));
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> sendRuns(WriteResult result, List<Map.Entry<String, List<Integer>>> runs, int next,
                                             Routing.Sharded table, int attempt) {
        if (next >= runs.size() || result.firstError() >= 0) {
            return CompletableFuture.completedFuture(null);
        }
        var run = runs.get(next);
        return sendBatch(result, run.getKey(), run.getValue(), table, attempt)
            .thenCompose(done -> sendRuns(result, runs, next + 1, table, attempt));
    }

    private CompletableFuture<Void> sendBatch(WriteResult result, String shard, List<Integer> batch, Routing.Sharded table, int attempt) {
        BsonDocument cmd = Docs.copy(base);
        BsonArray array = new BsonArray(new ArrayList<BsonValue>(batch.size()));
        batch.forEach(i -> array.add(docs.get(i)));
        cmd.put("documents", array);
        cmd.put("ordered", BsonBoolean.valueOf(ordered));
        StatementIds.put(cmd, base, batch);
        cmd.put("shardVersion", table.versionFor(shard).toShardVersion());
        return exec.gateway().command(shard, cmd).thenCompose(reply -> {
            if (Replies.isOk(reply)) {
                result.add(reply, batch);
                return CompletableFuture.completedFuture(null);
            }
            RouterError error = RouterError.fromReply(reply);
            if (error instanceof RouterError.StaleConfigError && attempt < MAX_STALE_RETRIES) {
                return exec.catalog().refresh(ns).thenCompose(map -> map
                    .map(m -> send(result, batch, new Routing.Sharded(ns, m, table.primary()), attempt + 1))
                    .orElseGet(() -> CompletableFuture.failedFuture(error)));
            }
            for (int i : batch) {
                result.error(i, error.code(), error.codeName(), error.getMessage());
                if (ordered) {
                    break;
                }
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    private static String idOf(BsonDocument doc) {
        BsonValue id = doc.get("_id");
        return id == null ? "(no _id)" : "{ _id: " + id + " }";
    }

    /** The shards the documents go to (a document without the shard key goes nowhere: it is refused). */
    @Override
    public BsonDocument explain() {
        ChunkMap map = routing.chunks();
        Set<String> shards = new LinkedHashSet<>();
        for (BsonDocument doc : docs) {
            if (map.keyPattern().firstMissingField(doc) == null) {
                shards.add(map.chunkFor(map.keyPattern().keyOf(doc)).shard());
            }
        }
        return Plan.describe(shards.size() == 1 ? "SINGLE_SHARD" : "SHARD_WRITE", shards);
    }
}
