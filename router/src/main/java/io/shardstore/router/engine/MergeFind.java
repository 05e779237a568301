package io.shardstore.router.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonValue;

import io.shardstore.router.command.Replies;
import io.shardstore.router.cursor.MergeCursor;
import io.shardstore.router.cursor.RemoteCursor;
import io.shardstore.router.topology.Routing;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * SHARD_MERGE / SHARD_MERGE_SORT: the find goes to every targeted shard with skip folded into the limit
 * (limit + skip), the router merges the shard cursors (k-way on the sort key) and applies skip and limit.
 */
public record MergeFind(Exec exec, String ns, Set<String> shards, BsonDocument find, Routing.Sharded routing) implements Plan {
    static final int DEFAULT_BATCH = 101;

    @Override
    public CompletableFuture<BsonDocument> execute() {
        BsonDocument sort = find.isDocument("sort") ? find.getDocument("sort") : null;
        long skip = find.isNumber("skip") ? find.getNumber("skip").longValue() : 0;
        long limit = find.isNumber("limit") ? Math.abs(find.getNumber("limit").longValue()) : 0;
        boolean singleBatch = find.getBoolean("singleBatch", org.bson.BsonBoolean.FALSE).getValue()
            || (find.isNumber("limit") && find.getNumber("limit").longValue() < 0);
        Integer batchSize = find.isNumber("batchSize") ? find.getNumber("batchSize").intValue() : null;

        ShardKeyPattern key = routing.chunks().keyPattern();
        Set<String> needed = new LinkedHashSet<>(key.fields());
        if (sort != null) {
            needed.addAll(sort.keySet());
        }
        Projection projection = Projection.widen(find.isDocument("projection") ? find.getDocument("projection") : null, needed);

        BsonDocument perShard = Docs.copy(find);
        perShard.remove("skip");
        perShard.remove("singleBatch");
        if (limit > 0) {
            perShard.put("limit", new BsonInt64(limit + skip));
        }
        int firstBatch = batchSize != null ? batchSize : DEFAULT_BATCH;
        long shardBatch = firstBatch + skip;
        if (limit > 0) {
            shardBatch = Math.min(shardBatch, limit + skip);
        }
        perShard.put("batchSize", new BsonInt64(Math.max(1, shardBatch)));
        if (projection.forShards() != null) {
            perShard.put("projection", projection.forShards());
        }
        List<CompletableFuture<MergeCursor.Stream>> parts = new ArrayList<>();
        for (String shard : shards) {
            BsonDocument cmd = Docs.copy(perShard);
            cmd.put("shardVersion", routing.versionFor(shard).toShardVersion());
            parts.add(exec.gateway().call(shard, cmd).thenApply(reply -> {
                BsonDocument cursor = Replies.check(new RawBsonDocument(reply.body())).getDocument("cursor");
                List<BsonDocument> docs = new ArrayList<>();
                for (BsonValue v : cursor.getArray("firstBatch", new BsonArray())) {
                    docs.add(v.asDocument());
                }
                return new MergeCursor.Stream(shard, new RemoteCursor(ns, shard, reply.host(), cursor.getInt64("id").getValue(), exec.gateway()), docs);
            }));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenCompose(done -> {
            List<MergeCursor.Stream> streams = parts.stream().map(CompletableFuture::join).toList();
            MergeCursor cursor = new MergeCursor(ns, streams, SortOrder.of(sort), ownedBy(routing), projection.strip(), skip, limit);
            int first = singleBatch && batchSize == null && limit > 0 ? (int) Math.min(Integer.MAX_VALUE, limit) : firstBatch;
            return cursor.next(first).thenApply(batch -> {
                long id = 0;
                if (!cursor.exhausted() && !singleBatch) {
                    id = exec.cursors().register(cursor);
                } else {
                    cursor.kill();
                }
                return Replies.cursor(ns, id, batch, true);
            });
        }).whenComplete((r, e) -> {
            if (e != null) {
                // A shard failed: close the cursors the others opened.
                parts.stream().filter(p -> p.isDone() && !p.isCompletedExceptionally())
                    .forEach(p -> p.join().remoteKill());
            }
        });
    }

    /** Keeps a document only where the routing table says it lives (drops migration orphans). */
    static java.util.function.BiPredicate<String, BsonDocument> ownedBy(Routing.Sharded routing) {
        ShardKeyPattern key = routing.chunks().keyPattern();
        return (shard, doc) -> key.firstMissingField(doc) != null || routing.chunks().chunkFor(key.keyOf(doc)).shard().equals(shard);
    }

    @Override
    public BsonDocument explain() {
        boolean sorted = find.isDocument("sort") && !find.getDocument("sort").isEmpty();
        return Plan.describe(sorted ? "SHARD_MERGE_SORT" : "SHARD_MERGE", shards);
    }

}
