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
        String ns = ctx.namespace();
        // Checked up front: the engine fails a missing collection with a code-less "ns not found".
        if (Namespaces.collection(ctx, ctx.db(), ctx.collectionName()) == null) {
            return new Document("ns", ns).append("ok", 1.0);
        }
        return ctx.node().storage().run(ctx.channel(), ctx.db(), ctx.name(), ctx.body());
    }
}
