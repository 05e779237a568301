package io.shardstore.node.command.data;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/**
 * listDatabases: databases that hold data, with sizes, as mongod lists them (the engine also lists
 * databases that a read merely named; those are left out).
 */
public final class ListDatabasesCommand implements Command {

    @Override
    public String name() {
        return "listDatabases";
    }

    @Override
    public io.shardstore.protocol.CommandSyntax.Syntax options() {
        return io.shardstore.protocol.CommandSyntax.of("listDatabases");
    }

    @SuppressWarnings("unchecked")
    @Override
    public Document run(CommandContext ctx) {
        Document all = ctx.node().storage().run(ctx.channel(), "admin", "listDatabases", new Document("listDatabases", 1));
        boolean nameOnly = Boolean.TRUE.equals(ctx.body().get("nameOnly"));
        Object filterValue = ctx.body().get("filter");
        if (filterValue != null && !(filterValue instanceof Document)) {
            throw io.shardstore.node.command.Errors.typeMismatch("BSON field 'listDatabases.filter' is the wrong type '"
                + io.shardstore.node.command.Errors.typeName(filterValue) + "', expected type 'object'");
        }
        Document filter = (Document) filterValue;
        List<Document> out = new ArrayList<>();
        long total = 0;
        java.util.Set<String> withViews = ctx.node().storage().views().databases();
        for (Document db : (List<Document>) all.get("databases")) {
            String name = (String) db.get("name");
            if (Boolean.TRUE.equals(db.get("empty")) && !withViews.contains(name)) {
                continue; // a database that holds views only is listed, as on mongod
            }
            long size = sizeOf(ctx.node().storage().backend().resolveDatabase(name), ctx);
            Document entry = new Document("name", name).append("sizeOnDisk", size).append("empty", size == 0);
            if (filter != null && !new de.bwaldvogel.mongo.backend.DefaultQueryMatcher().matches(entry, filter)) {
                continue;
            }
            total += size;
            out.add(nameOnly ? new Document("name", name) : entry);
        }
        out.sort(java.util.Comparator.comparing(d -> (String) d.get("name"))); // mongod lists them by name
        Document reply = new Document("databases", out);
        if (!nameOnly) {
            reply.put("totalSize", total);
            reply.put("totalSizeMb", total / (1024 * 1024));
        }
        return reply.append("ok", 1.0);
    }

    @SuppressWarnings("unchecked")
    private static long sizeOf(MongoDatabase db, CommandContext ctx) {
        Document stats = ctx.node().storage().run(ctx.channel(), db.getDatabaseName(), "dbStats", new Document("dbStats", 1));
        Object size = stats.get("dataSize");
        return size instanceof Number n ? n.longValue() : 0;
    }
}
