package io.shardstore.node.command.data;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/** drop: the engine's drop hook journals it. Dropping a missing collection is ok, as in mongod 7.0. */
public final class DropCommand implements Command {
    private final CatalogCommand viewDrop = new CatalogCommand("drop");

    @Override
    public String name() {
        return "drop";
    }

    @Override
    public io.shardstore.protocol.CommandSyntax.Syntax options() {
        return io.shardstore.protocol.CommandSyntax.of("drop");
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        String ns = ctx.namespace();
        if (ctx.node().storage().views().isView(ctx.db(), ctx.collectionName())) {
            return viewDrop.run(ctx); // answered by the view catalog, journaled like any catalog command
        }
        // Checked up front: the engine fails a missing collection with a code-less "ns not found".
        if (Namespaces.collection(ctx, ctx.db(), ctx.collectionName()) == null) {
            return new Document("ns", ns).append("ok", 1.0);
        }
        return ctx.node().storage().run(ctx.channel(), ctx.db(), ctx.name(), ctx.body());
    }
}
