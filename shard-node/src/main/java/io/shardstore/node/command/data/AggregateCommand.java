package io.shardstore.node.command.data;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.engine.PipelineRewrite;
import io.shardstore.protocol.CommandSyntax;

/**
 * aggregate. A pipeline ending in $out or $merge writes around the engine's hooks, so its target is journaled
 * whole. The engine returns every result in the first batch; {@code cursor.batchSize} is applied here.
 */
public final class AggregateCommand implements Command {

    @Override
    public CommandSyntax.Syntax options() {
        return CommandSyntax.of("aggregate");
    }

    /**
     * A collection's pipeline without $out / $merge reads only; a database aggregate (its scratch collection) and
     * anything on local stay on the storage thread.
     */
    @Override
    public boolean concurrentRead(CommandContext ctx) {
        return ctx.body().get("aggregate") instanceof String && Command.outsideLocal(ctx)
            && !io.shardstore.node.replication.ReplicationGuard.isWrite(this, ctx) && !hasStage(ctx, "$changeStream");
    }

    private static boolean hasStage(CommandContext ctx, String stage) {
        return ctx.body().get("pipeline") instanceof List<?> stages
            && stages.stream().anyMatch(s -> s instanceof Document d && d.containsKey(stage));
    }

    @Override
    public String name() {
        return "aggregate";
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        if (ctx.body().get("aggregate") instanceof Number) {
            return DatabaseAggregate.run(ctx);
        }
        if (ctx.body().get("pipeline") instanceof List<?> stages && !stages.isEmpty()
            && stages.get(0) instanceof Document first && first.containsKey("$collStats")) {
            return CollStatsStage.run(ctx, stages);
        }
        ViewReferences.check(ctx, ctx.body().get("pipeline"));
        LetVariables let = LetVariables.of(ctx.body());
        if (let != null) {
            ctx.body().put("pipeline", let.bindPipeline(ctx.body().get("pipeline")));
        }
        Integer batchSize = null;
        if (ctx.body().get("cursor") instanceof Document cursor) {
            batchSize = FirstBatch.batchSize(cursor.get("batchSize"));
            // The engine only warns that it ignores a non-empty cursor document.
            ctx.body().put("cursor", new Document());
        }
        Object rewritten = PipelineRewrite.pipeline(ctx.body().get("pipeline"));
        boolean mayMissBranch = PipelineRewrite.holdsMarker(rewritten);
        ctx.body().put("pipeline", rewritten);
        Document reply = ctx.node().storage().run(ctx.channel(), ctx.db(), ctx.name(), ctx.body());
        if (mayMissBranch && reply.get("cursor") instanceof Document cursor) {
            PipelineRewrite.checkNoMarker(cursor.get("firstBatch"));
        }
        String target = outputNamespace(ctx);
        if (target != null) {
            ctx.node().storage().recordCollection(target);
        } else if (batchSize != null && reply.get("cursor") instanceof Document) {
            FirstBatch.cut(ctx, reply, batchSize);
        }
        return reply;
    }

    private static String outputNamespace(CommandContext ctx) {
        if (!(ctx.body().get("pipeline") instanceof List<?> pipeline) || pipeline.isEmpty()
            || !(pipeline.get(pipeline.size() - 1) instanceof Document last)) {
            return null;
        }
        Object spec = last.containsKey("$out") ? last.get("$out") : last.get("$merge");
        if (spec instanceof Document d && d.containsKey("into")) {
            spec = d.get("into");
        }
        if (spec instanceof String coll) {
            return ctx.db() + "." + coll;
        }
        if (spec instanceof Document d && d.get("coll") instanceof String coll) {
            return (d.get("db") instanceof String db ? db : ctx.db()) + "." + coll;
        }
        return null;
    }
}
