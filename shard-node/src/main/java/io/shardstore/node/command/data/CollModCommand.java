package io.shardstore.node.command.data;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/**
 * collMod: changes a view's definition ({@code viewOn} and {@code pipeline}, answered by the view catalog); on a
 * collection nothing here can change (no validators, TTL or hidden indexes: those fields are refused with 238 by the
 * declared syntax), so a collMod without options is ok, as on mongod. Journaled and replicated as a catalog command.
 */
public final class CollModCommand implements Command {
    private final CatalogCommand catalog = new CatalogCommand("collMod");

    @Override
    public String name() {
        return "collMod";
    }

    @Override
    public io.shardstore.protocol.CommandSyntax.Syntax options() {
        return io.shardstore.protocol.CommandSyntax.of("collMod");
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        return catalog.run(ctx);
    }
}
