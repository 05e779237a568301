package io.shardstore.router.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonValue;

import io.shardstore.router.command.Replies;
import io.shardstore.router.cursor.BufferedCursor;
import io.shardstore.router.cursor.RemoteCursor;
import io.shardstore.router.planner.PipelineSplit;
import io.shardstore.router.topology.Routing;

/**
 * An aggregation over several shards: each runs the shards' part of the pipeline, the router drains
 * their cursors and runs the merge part in its {@link MergeEngine}; the result is served from a router
 * cursor. Collections named by $lookup are read whole and loaded next to the merged input.
 */
public record AggregateSplit(Exec exec, MergeEngine merger, String ns, Set<String> shards, BsonDocument aggregate,
                             PipelineSplit split, Routing routing,
                             Map<String, CompletableFuture<List<BsonDocument>>> foreign) implements Plan {

    @Override
    public CompletableFuture<BsonDocument> execute() {
        return results().thenApply(results -> {
            BsonDocument cursorSpec = aggregate.isDocument("cursor") ? aggregate.getDocument("cursor") : new BsonDocument();
            int batch = cursorSpec.isNumber("batchSize") ? cursorSpec.getNumber("batchSize").intValue() : MergeFind.DEFAULT_BATCH;
            BufferedCursor cursor = new BufferedCursor(ns, results);
            List<BsonDocument> first = cursor.next(batch).join();
            long id = cursor.exhausted() ? 0 : exec.cursors().register(cursor);
            return Replies.cursor(ns, id, first, true);
        });
    }

    /** Every result of the pipeline, merged at the router. */
    public CompletableFuture<List<BsonDocument>> results() {
        BsonDocument perShard = Docs.copy(aggregate);
        perShard.put("pipeline", new BsonArray(new ArrayList<BsonValue>(split.shardsPart())));
        perShard.put("cursor", new BsonDocument("batchSize", new BsonInt64(10_000)));
        List<CompletableFuture<List<BsonDocument>>> parts = new ArrayList<>();
        for (String shard : shards) {
            BsonDocument cmd = Docs.copy(perShard);
            cmd.put("shardVersion", routing.versionFor(shard).toShardVersion());
            parts.add(exec.gateway().call(shard, cmd).thenCompose(reply -> drain(shard, reply.host(), Replies.check(new RawBsonDocument(reply.body())))));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
        CompletableFuture<Void> lookups = CompletableFuture.allOf(foreign.values().toArray(CompletableFuture[]::new));
        return all.thenCombine(lookups, (a, b) -> null).thenCompose(done -> {
            List<BsonDocument> input = new ArrayList<>();
            parts.forEach(p -> input.addAll(p.join()));
            if (split.mergerPart().isEmpty()) {
                return CompletableFuture.completedFuture(input);
            }
            Map<String, List<BsonDocument>> loaded = new HashMap<>();
            foreign.forEach((name, f) -> loaded.put(name, f.join()));
            return merger.run(input, split.mergerPart(), loaded);
        });
    }

    /** All of a shard's results: its first batch, then getMore until its cursor is exhausted. */
    private CompletableFuture<List<BsonDocument>> drain(String shard, String host, BsonDocument reply) {
        BsonDocument cursor = reply.getDocument("cursor");
        List<BsonDocument> docs = new ArrayList<>();
        cursor.getArray("firstBatch", new BsonArray()).forEach(v -> docs.add(v.asDocument()));
        RemoteCursor remote = new RemoteCursor(ns, shard, host, cursor.getInt64("id").getValue(), exec.gateway());
        return more(remote, docs);
    }

    private static CompletableFuture<List<BsonDocument>> more(RemoteCursor remote, List<BsonDocument> docs) {
        if (remote.exhausted()) {
            return CompletableFuture.completedFuture(docs);
        }
        return remote.next(10_000).thenCompose(batch -> {
            docs.addAll(batch);
            return more(remote, docs);
        });
    }

    @Override
    public BsonDocument explain() {
        return Plan.describe("SHARD_MERGE", shards).append("splitPipeline", new BsonDocument(
            "shardsPart", new BsonArray(new ArrayList<BsonValue>(split.shardsPart())))
            .append("mergerPart", new BsonArray(new ArrayList<BsonValue>(split.mergerPart()))));
    }
}
