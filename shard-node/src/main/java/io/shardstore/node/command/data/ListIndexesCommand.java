package io.shardstore.node.command.data;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/** listIndexes. The engine answers an empty list for a missing collection; mongod fails with NamespaceNotFound. */
public final class ListIndexesCommand implements Command {

    @Override
    public String name() {
        return "listIndexes";
    }

    @Override
    public io.shardstore.protocol.CommandSyntax.Syntax options() {
        return io.shardstore.protocol.CommandSyntax.of("listIndexes");
    }

    @Override
    public Document run(CommandContext ctx) {
        if (Namespaces.collection(ctx, ctx.db(), ctx.collectionName()) == null) {
            throw Errors.of(ErrorCode.NamespaceNotFound, "ns does not exist: " + ctx.namespace());
        }
        return ctx.node().storage().run(ctx.channel(), ctx.db(), ctx.name(), ctx.body());
    }
}
