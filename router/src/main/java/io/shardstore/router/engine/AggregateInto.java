package io.shardstore.router.engine;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

import io.shardstore.router.command.Replies;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.planner.OutputTarget;
import io.shardstore.router.topology.Routing;

/**
 * An aggregation ending in $out / $merge. The write must happen where the catalog places the target collection (its
 * database's primary shard), which need not be where the source's pipeline runs (another database, or a sharded
 * source). When the pipeline runs whole on that very shard and names its target in the source's database by name
 * only, it is forwarded unchanged ({@code inPlace}); the shard's engine takes no {@code {db, coll}} target. Otherwise the
 * router gathers the pipeline's results without its last stage ({@code source}), stages them in a temporary
 * collection on the target's shard and runs the last stage there, so the shard's own $out / $merge semantics apply
 * (replace, whenMatched, on...). The temporary collection is dropped whatever the outcome.
 */
public record AggregateInto(Exec exec, String ns, Set<String> sourceShards, Plan inPlace, AggregateSplit source,
                            OutputTarget target, BsonDocument options) implements Plan {
    /** Staged documents per insert, and bytes: well inside a shard's 48 MB message and 100,000-statement batch. */
    private static final int STAGE_DOCS = 1_000;
    private static final int STAGE_BYTES = 8 * 1024 * 1024;

    @Override
    public CompletableFuture<BsonDocument> execute() {
        return exec.catalog().routing(target.db(), target.coll()).thenCompose(out -> {
            if (out instanceof Routing.Sharded) {
                return CompletableFuture.failedFuture(target.shardedTargetError());
            }
            if (inPlace != null && sourceShards.equals(Set.of(out.primary())) && target.sameDatabaseByName(sourceDb())) {
                return inPlace.execute();
            }
            return source.results().thenCompose(docs -> writeAt(out, docs))
                .thenApply(done -> Replies.cursor(ns, 0, List.of(), true));
        });
    }

    private String sourceDb() {
        return ns.substring(0, ns.indexOf('.'));
    }

    /** Stages the documents on the target's shard, runs the last stage over them there, drops the staging. */
    private CompletableFuture<Void> writeAt(Routing out, List<BsonDocument> docs) {
        String shard = out.primary();
        String staging = "tmp.agg_stage." + UUID.randomUUID();
        CompletableFuture<Void> written = stage(out, staging, docs, 0).thenCompose(v -> {
            // Sorted by position so $merge sees the documents in the pipeline's order; each unwrapped as it was.
            BsonArray pipeline = new BsonArray(List.of(
                new BsonDocument("$sort", new BsonDocument("_id", new BsonInt32(1))),
                new BsonDocument("$replaceRoot", new BsonDocument("newRoot", new BsonString("$d"))),
                target.local()));
            BsonDocument aggregate = new BsonDocument("aggregate", new BsonString(staging)).append("pipeline", pipeline)
                .append("cursor", new BsonDocument());
            options.forEach(aggregate::append);
            return call(out, shard, aggregate).thenApply(reply -> null);
        });
        return written.handle((v, failure) -> failure).thenCompose(failure -> {
            BsonDocument drop = new BsonDocument("drop", new BsonString(staging));
            CompletableFuture<BsonDocument> dropped = call(out, shard, drop);
            return dropped.handle((r, dropFailure) -> {
                if (failure != null) {
                    throw failure instanceof RuntimeException e ? e : new IllegalStateException(failure);
                }
                return null;
            });
        });
    }

    /** Inserts {_id: position, d: result} batches one after another (an insert's reply can hold write errors). */
    private CompletableFuture<Void> stage(Routing out, String staging, List<BsonDocument> docs, int from) {
        if (from >= docs.size() && from > 0) {
            return CompletableFuture.completedFuture(null);
        }
        BsonArray batch = new BsonArray();
        int bytes = 0;
        int i = from;
        while (i < docs.size() && batch.size() < STAGE_DOCS && bytes < STAGE_BYTES) {
            BsonDocument wrapped = new BsonDocument("_id", new BsonInt64(i)).append("d", docs.get(i));
            bytes += new RawBsonDocument(wrapped, new BsonDocumentCodec()).getByteBuffer().remaining();
            batch.add(wrapped);
            i++;
        }
        if (batch.isEmpty()) {
            // Nothing to write still creates the staging collection, so $out replaces the target with an empty one.
            return call(out, out.primary(), new BsonDocument("create", new BsonString(staging))).thenApply(r -> null);
        }
        int next = i;
        BsonDocument insert = new BsonDocument("insert", new BsonString(staging)).append("documents", batch)
            .append("ordered", org.bson.BsonBoolean.TRUE);
        return call(out, out.primary(), insert).thenCompose(reply -> {
            BsonValue errors = reply.get("writeErrors");
            if (errors != null && errors.isArray() && !errors.asArray().isEmpty()) {
                BsonDocument first = errors.asArray().get(0).asDocument();
                return CompletableFuture.failedFuture(new RouterError(first.getInt32("code").getValue(),
                    first.getString("codeName", new BsonString("UnknownError")).getValue(), first.getString("errmsg").getValue()));
            }
            return stage(out, staging, docs, next);
        });
    }

    private CompletableFuture<BsonDocument> call(Routing out, String shard, BsonDocument command) {
        BsonDocument cmd = command.append("$db", new BsonString(target.db()))
            .append("shardVersion", out.versionFor(shard).toShardVersion());
        return exec.gateway().command(shard, cmd).thenApply(Replies::check);
    }

    @Override
    public BsonDocument explain() {
        BsonDocument plan = source.explain();
        plan.put("stage", new BsonString("SHARD_MERGE_INTO"));
        plan.put("output", new BsonDocument("db", new BsonString(target.db())).append("coll", new BsonString(target.coll())));
        return plan;
    }

    /** The options the final write keeps from the client's command (the rest concern reading the source). */
    public static BsonDocument writeOptions(BsonDocument command) {
        BsonDocument options = new BsonDocument();
        for (String field : new String[] {"writeConcern", "bypassDocumentValidation", "let", "maxTimeMS", "comment"}) {
            if (command.containsKey(field)) {
                options.put(field, command.get(field));
            }
        }
        return options;
    }
}
