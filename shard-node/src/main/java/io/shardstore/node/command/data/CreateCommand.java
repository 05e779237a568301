package io.shardstore.node.command.data;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;

/**
 * create: refuses the collection names mongod refuses (the engine answers them with its own assertion
 * codes), then the engine creates and the catalog change is journaled.
 */
public final class CreateCommand implements Command {
    private final CatalogCommand catalog = new CatalogCommand("create");

    @Override
    public String name() {
        return "create";
    }

    @Override
    public io.shardstore.protocol.CommandSyntax.Syntax options() {
        return io.shardstore.protocol.CommandSyntax.of("create");
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        String name = ctx.collectionName();
        if (name.indexOf('$') >= 0 || name.indexOf('\0') >= 0 || name.startsWith(".") || name.endsWith(".")) {
            throw Errors.invalidNamespace("Invalid namespace specified '" + ctx.namespace() + "'");
        }
        return catalog.run(ctx);
    }
}
