package io.shardstore.node.command.data;

import java.util.List;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.CommandContext;

/** Catalog look-ups the handlers make before handing a command to the engine. Storage thread only. */
public final class Namespaces {

    private Namespaces() {
    }

    /** The collection, or null if it does not exist; never creates it. */
    public static MongoCollection<?> collection(CommandContext ctx, String db, String name) {
        return ctx.node().storage().backend().resolveDatabase(db).resolveCollection(name, false);
    }

    /** The index specs of an existing collection, as listIndexes shows them. */
    @SuppressWarnings("unchecked")
    static List<Document> indexes(CommandContext ctx, String db, String name) {
        Document reply = ctx.node().storage().run(ctx.channel(), db, "listIndexes", new Document("listIndexes", name));
        return (List<Document>) ((Document) reply.get("cursor")).get("firstBatch");
    }
}
