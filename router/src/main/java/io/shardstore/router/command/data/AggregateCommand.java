package io.shardstore.router.command.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.AggregateInto;
import io.shardstore.router.engine.AggregateSplit;
import io.shardstore.router.engine.CollStatsFanOut;
import io.shardstore.router.engine.ShardedDataDistribution;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.Plan;
import io.shardstore.router.engine.Route;
import io.shardstore.router.engine.Scatter;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.planner.OutputTarget;
import io.shardstore.router.planner.PipelineSplit;
import io.shardstore.router.planner.Targeting;
import io.shardstore.router.topology.Routing;

/**
 * aggregate: an unsharded collection's pipeline runs whole on its primary shard, and so does a sharded
 * one whose leading $match pins one shard; otherwise the pipeline is split between the shards and the
 * router ({@link PipelineSplit}, {@link AggregateSplit}).
 */
public final class AggregateCommand extends TargetedCommand {

    @Override
    public String name() {
        return "aggregate";
    }

    @Override
    protected Plan databasePlan(RouterRequest request, Exec exec) {
        BsonValue v = request.body().get("aggregate");
        if (v != null && v.isNumber()) {
            List<BsonDocument> pipeline = pipeline(request);
            String first = pipeline.isEmpty() ? "" : PipelineSplit.stageName(pipeline.get(0));
            if (request.db().equals("admin") && first.equals("$shardedDataDistribution")) {
                return new ShardedDataDistribution(exec, pipeline);
            }
            if (first.equals("$listSampledQueries")) {
                return new io.shardstore.router.engine.ListSampledQueries(exec, request.db(), pipeline);
            }
            if (io.shardstore.router.engine.CollectionlessAggregate.handles(first)) {
                return new io.shardstore.router.engine.CollectionlessAggregate(exec, request.db(), pipeline);
            }
        }
        return null;
    }

    @Override
    protected String collection(RouterRequest request) {
        BsonValue v = request.body().get("aggregate");
        if (v != null && v.isNumber()) {
            BsonArray pipeline = request.body().getArray("pipeline", new BsonArray());
            String first = pipeline.isEmpty() ? "" : PipelineSplit.stageName(pipeline.get(0).asDocument());
            throw new RouterError(ErrorCode.InvalidNamespace, "{aggregate: 1} is not valid for '"
                + (first.isEmpty() ? "an empty pipeline" : first) + "'; a collection is required.");
        }
        return super.collection(request);
    }

    @Override
    protected Plan plan(RouterRequest request, Exec exec, String ns, Routing routing) {
        List<BsonDocument> stages = pipeline(request);
        if (!stages.isEmpty() && PipelineSplit.stageName(stages.get(0)).equals("$collStats")) {
            return new CollStatsFanOut(exec, ns, routing instanceof Routing.Sharded s ? s.chunks().allShards()
                : Set.of(routing.primary()), stages);
        }
        OutputTarget output = output(request);
        if (!(routing instanceof Routing.Sharded sharded)) {
            Plan whole = primary(request, exec, ns, routing);
            return output == null ? whole : into(request, exec, ns, routing, Set.of(routing.primary()), whole, output);
        }
        BsonDocument cursor = request.body().isDocument("cursor") ? request.body().getDocument("cursor") : new BsonDocument();
        if (cursor.isNumber("batchSize") && cursor.getNumber("batchSize").longValue() < 0) {
            // Refused by the shard node's parser with mongod's exact error; nothing is read.
            return new Route(exec, routing.primary(), request, null, ns);
        }
        List<BsonDocument> pipeline = pipeline(request);
        BsonDocument firstMatch = !pipeline.isEmpty() && PipelineSplit.stageName(pipeline.get(0)).equals("$match")
            ? pipeline.get(0).getDocument("$match") : new BsonDocument();
        Targeting.Target target = Targeting.shardsFor(sharded.chunks(), firstMatch);
        boolean oneShard = target.shards().size() == 1 && !readsOtherCollections(pipeline);
        if (oneShard && output == null) {
            String shard = target.shards().iterator().next();
            return new Route(exec, shard, request, routing.versionFor(shard), ns);
        }
        if (output != null) {
            Plan whole = null;
            if (oneShard) {
                String shard = target.shards().iterator().next();
                whole = new Route(exec, shard, request, routing.versionFor(shard), ns);
            }
            return into(request, exec, ns, routing, target.shards(), whole, output);
        }
        PipelineSplit split = PipelineSplit.of(pipeline);
        Map<String, CompletableFuture<List<BsonDocument>>> foreign = new HashMap<>();
        for (String from : lookupSources(split.mergerPart())) {
            foreign.put(from, readAll(exec, request.db(), from));
        }
        BsonDocument command = request.command();
        command.remove("explain");
        return new AggregateSplit(exec, exec.merger(), ns, target.shards(), command, split, sharded, foreign);
    }

    private static List<BsonDocument> pipeline(RouterRequest request) {
        List<BsonDocument> pipeline = new ArrayList<>();
        for (BsonValue v : request.body().getArray("pipeline", new BsonArray())) {
            pipeline.add(v.asDocument());
        }
        return pipeline;
    }

    private static OutputTarget output(RouterRequest request) {
        return request.body().isArray("pipeline") ? OutputTarget.of(pipeline(request), request.db()) : null;
    }

    /**
     * A pipeline ending in $out / $merge: written where the catalog places the target, which may differ from where the
     * pipeline reads (another database's primary shard). {@code whole}, when the pipeline can run whole on one shard,
     * is used if that shard is also the target's; otherwise the rest of the pipeline is computed first.
     */
    private static Plan into(RouterRequest request, Exec exec, String ns, Routing routing, Set<String> shards, Plan whole,
                             OutputTarget output) {
        List<BsonDocument> pipeline = pipeline(request);
        List<BsonDocument> rest = pipeline.subList(0, pipeline.size() - 1);
        PipelineSplit split;
        Map<String, CompletableFuture<List<BsonDocument>>> foreign = new HashMap<>();
        if (routing instanceof Routing.Sharded && whole == null) {
            split = PipelineSplit.of(rest);
            for (String from : lookupSources(split.mergerPart())) {
                foreign.put(from, readAll(exec, request.db(), from));
            }
        } else {
            split = new PipelineSplit(rest, List.of()); // runs whole on its one shard, $lookup included
        }
        BsonDocument read = request.command();
        read.remove("explain");
        read.remove("writeConcern");
        read.remove("bypassDocumentValidation");
        AggregateSplit source = new AggregateSplit(exec, exec.merger(), ns, shards, read, split, routing, foreign);
        return new AggregateInto(exec, ns, shards, whole, source, output, AggregateInto.writeOptions(request.body()));
    }

    private static boolean readsOtherCollections(List<BsonDocument> pipeline) {
        return !lookupSources(pipeline).isEmpty();
    }

    /** The collections named by $lookup / $graphLookup / $unionWith, also inside $facet. */
    static Set<String> lookupSources(List<BsonDocument> pipeline) {
        Set<String> names = new LinkedHashSet<>();
        for (BsonDocument stage : pipeline) {
            String name = PipelineSplit.stageName(stage);
            BsonValue spec = stage.get(name);
            if ((name.equals("$lookup") || name.equals("$graphLookup")) && spec.isDocument() && spec.asDocument().isString("from")) {
                names.add(spec.asDocument().getString("from").getValue());
            } else if (name.equals("$unionWith")) {
                names.add(spec.isString() ? spec.asString().getValue() : spec.asDocument().getString("coll").getValue());
            } else if (name.equals("$facet") && spec.isDocument()) {
                for (BsonValue sub : spec.asDocument().values()) {
                    List<BsonDocument> inner = new ArrayList<>();
                    sub.asArray().forEach(s -> inner.add(s.asDocument()));
                    names.addAll(lookupSources(inner));
                }
            }
        }
        return names;
    }

    /** Every document of a collection, from all shards that hold it. */
    static CompletableFuture<List<BsonDocument>> readAll(Exec exec, String db, String coll) {
        return exec.catalog().routing(db, coll).thenCompose(routing -> {
            Set<String> shards = routing instanceof Routing.Sharded s ? s.chunks().allShards() : Set.of(routing.primary());
            BsonDocument find = new BsonDocument("find", new BsonString(coll)).append("filter", new BsonDocument())
                .append("batchSize", new org.bson.BsonInt32(Integer.MAX_VALUE)).append("$db", new BsonString(db));
            return Scatter.send(exec, shards, find, routing).thenApply(replies -> {
                List<BsonDocument> all = new ArrayList<>();
                for (BsonDocument r : replies.values()) {
                    r.getDocument("cursor").getArray("firstBatch").forEach(v -> all.add(v.asDocument()));
                }
                return all;
            });
        });
    }

}
