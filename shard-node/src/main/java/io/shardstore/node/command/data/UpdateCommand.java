package io.shardstore.node.command.data;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.protocol.CommandSyntax;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * update: operators, replacements, upserts, multi, arrayFilters by the engine; pipeline-style statements by
 * {@link UpdateBatch}. Effects are journaled by the recorder either way.
 */
public final class UpdateCommand implements Command {

    @Override
    public CommandSyntax.Syntax options() {
        return CommandSyntax.of("update");
    }

    @Override
    public String name() {
        return "update";
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public void validate(CommandContext ctx) {
        statements(ctx);
    }

    /** The statements, validated: each has a "u" that is a document or a pipeline. */
    private static List<?> statements(CommandContext ctx) {
        List<?> statements = WriteBatch.validate(ctx, "updates");
        for (Object statement : statements) {
            Object u = ((Document) statement).get("u");
            if (u == null) {
                throw Errors.location(40414, "BSON field 'update.updates.u' is missing but a required field");
            }
            if (!(u instanceof Document) && !PipelineUpdate.isPipeline(u)) {
                throw Errors.of(ErrorCode.FailedToParse, "Update argument must be either an object or an array");
            }
        }
        return statements;
    }

    @Override
    public Document run(CommandContext ctx) {
        List<?> statements = statements(ctx);
        boolean pipelines = false;
        for (Object statement : statements) {
            pipelines |= PipelineUpdate.isPipeline(((Document) statement).get("u")) || UpdateBatch.upsertsNullId((Document) statement)
                || StorableDocument.storesDollarField(((Document) statement).get("u"));
        }
        if (pipelines || ctx.body().get("let") != null || statements.size() > 1 || SampledDiffs.anySampled(statements)) {
            // The engine has no pipeline updates (it would fail on the cast) nor let variables, and it goes on past a
            // failed statement of an ordered batch (found by DeclaredSyntaxTest: the next statement was applied):
            // such batches run statement by statement here. So do sampled statements, whose changes are recorded
            // (SampledDiffs).
            return new UpdateBatch(ctx).run(statements);
        }
        return ctx.node().storage().run(ctx.channel(), ctx.db(), "update", ctx.body());
    }
}
