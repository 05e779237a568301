package io.shardstore.node.command.data;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.protocol.CommandSyntax;
import io.shardstore.node.command.Errors;

/** distinct, by the engine, after the argument checks mongod makes (the engine fails a non-string key internally). */
public final class DistinctCommand implements Command {

    @Override
    public CommandSyntax.Syntax options() {
        return CommandSyntax.of("distinct");
    }

    @Override
    public boolean concurrentRead(CommandContext ctx) {
        return Command.outsideLocal(ctx);
    }

    @Override
    public String name() {
        return "distinct";
    }

    @Override
    public Document run(CommandContext ctx) {
        ctx.collectionName();
        Object key = ctx.body().get("key");
        if (key == null) {
            throw Errors.location(40414, "BSON field 'distinct.key' is missing but a required field");
        }
        if (!(key instanceof String)) {
            throw Errors.typeMismatch("BSON field 'distinct.key' is the wrong type '" + Errors.typeName(key)
                + "', expected type 'string'");
        }
        Object query = ctx.body().get("query");
        if (query != null && !(query instanceof Document)) {
            throw Errors.typeMismatch("BSON field 'distinct.query' is the wrong type '" + Errors.typeName(query)
                + "', expected type 'object'");
        }
        return ctx.node().storage().run(ctx.channel(), ctx.db(), ctx.name(), ctx.body());
    }
}
