package io.shardstore.node.command.data;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/** update: operators, replacements, pipelines, upserts, multi, arrayFilters, all by the engine; effects journaled by the recorder. */
public final class UpdateCommand implements Command {

    @Override
    public String name() {
        return "update";
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        WriteBatch.validate(ctx, "updates");
        return ctx.node().storage().run(ctx.channel(), ctx.db(), "update", ctx.body());
    }
}
