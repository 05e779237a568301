package io.shardstore.node.command.data;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/** drop: the engine's drop hook journals it. Dropping a missing collection is ok, as in mongod 7.0. */
public final class DropCommand implements Command {

    @Override
    public String name() {
        return "drop";
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        String collection = ctx.collectionName();
        if (ctx.node().storage().backend().resolveDatabase(ctx.db()).resolveCollection(collection, false) == null) {
            return new Document("ns", ctx.namespace()).append("ok", 1.0);
        }
        return ctx.node().storage().run(ctx.channel(), ctx.db(), ctx.name(), ctx.body());
    }
}
