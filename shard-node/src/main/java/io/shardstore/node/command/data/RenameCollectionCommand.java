package io.shardstore.node.command.data;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * renameCollection: checks the source as mongod does (the engine fails a missing source with a code-less
 * error, and accepts a rename onto itself), then the engine renames and the catalog change is journaled.
 */
public final class RenameCollectionCommand implements Command {
    private final CatalogCommand catalog = new CatalogCommand("renameCollection");

    @Override
    public String name() {
        return "renameCollection";
    }

    @Override
    public io.shardstore.protocol.CommandSyntax.Syntax options() {
        return io.shardstore.protocol.CommandSyntax.of("renameCollection");
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        Object from = ctx.body().get("renameCollection");
        Object to = ctx.body().get("to");
        if (!(from instanceof String source) || source.indexOf('.') <= 0) {
            throw Errors.invalidNamespace("Invalid source namespace: " + from);
        }
        if (!(to instanceof String target) || target.indexOf('.') <= 0) {
            throw Errors.invalidNamespace("Invalid target namespace: " + to);
        }
        int dot = source.indexOf('.');
        if (Namespaces.collection(ctx, source.substring(0, dot), source.substring(dot + 1)) == null) {
            throw Errors.of(ErrorCode.NamespaceNotFound, "Source collection " + source + " does not exist");
        }
        if (source.equals(target)) {
            throw Errors.of(ErrorCode.IllegalOperation, "Can't rename a collection to itself");
        }
        return catalog.run(ctx);
    }
}
