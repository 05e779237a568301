package io.shardstore.node.command.data;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * dropIndexes by name, by key, by a list of names or "*". The engine would drop the _id index, answers ok
 * for a missing collection, and its "*" walks the indexes of the whole database; so the checks are made
 * here and every index is dropped by name, one journaled engine call each.
 */
public final class DropIndexesCommand implements Command {
    private final CatalogCommand catalog = new CatalogCommand("dropIndexes");

    @Override
    public String name() {
        return "dropIndexes";
    }

    @Override
    public io.shardstore.protocol.CommandSyntax.Syntax options() {
        return io.shardstore.protocol.CommandSyntax.of("dropIndexes");
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        String collection = ctx.collectionName();
        if (Namespaces.collection(ctx, ctx.db(), collection) == null) {
            throw Errors.of(ErrorCode.NamespaceNotFound, "ns not found " + ctx.namespace());
        }
        Object index = ctx.body().get("index");
        if (index == null) {
            throw Errors.location(40414, "BSON field 'dropIndexes.index' is missing but a required field");
        }
        if (!(index instanceof String || index instanceof Document || index instanceof List)) {
            throw Errors.typeMismatch("BSON field 'dropIndexes.index' is the wrong type '" + Errors.typeName(index) + "'");
        }
        List<Document> existing = Namespaces.indexes(ctx, ctx.db(), collection);
        List<String> names = namesToDrop(index, existing);
        for (String name : names) {
            Document body = new Document(ctx.body());
            // By key, not by name: the engine drops an index named so from every collection of the database's index
            // catalog (a same-named index of another collection vanished from listIndexes, yet kept enforcing its
            // constraints); by key it looks the index up in this collection only.
            body.put("index", existing.stream().filter(d -> name.equals(d.get("name"))).findFirst().orElseThrow().get("key"));
            catalog.run(new CommandContext(ctx.name(), ctx.db(), body, ctx.connection(), ctx.node()));
        }
        Document reply = new Document("nIndexesWas", existing.size());
        if ("*".equals(index)) {
            reply.put("msg", "non-_id indexes dropped for collection");
        }
        return reply.append("ok", 1.0);
    }

    private static List<String> namesToDrop(Object index, List<Document> existing) {
        List<String> names = new ArrayList<>();
        if ("*".equals(index)) {
            existing.stream().map(d -> (String) d.get("name")).filter(n -> !IndexSpecs.isIdIndex(n)).forEach(names::add);
            return names;
        }
        List<?> requested = index instanceof List<?> list ? list : List.of(index);
        for (Object one : requested) {
            if (IndexSpecs.isIdIndex(one)) {
                throw Errors.of(ErrorCode.InvalidOptions, "cannot drop _id index");
            }
            Document found = null;
            for (Document d : existing) {
                if (one instanceof String name ? name.equals(d.get("name"))
                    : one instanceof Document key && IndexSpecs.sameKey(key, d.get("key"))) {
                    found = d;
                }
            }
            if (found == null) {
                throw Errors.of(ErrorCode.IndexNotFound, one instanceof String ? "index not found with name [" + one + "]"
                    : "can't find index with key: " + one);
            }
            names.add((String) found.get("name"));
        }
        return names;
    }
}
