package io.shardstore.node.command.data;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.QueryParameters;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.shardstore.node.command.CommandContext;
import io.shardstore.protocol.ErrorCode;

/**
 * Reads and single-document writes for handlers that compute documents themselves (pipeline updates).
 * Writes go through the engine's own update and insert commands, so its write hooks (the effect
 * recorder) journal them and its indexes check them, exactly as for any other write. Storage thread only.
 */
final class EngineWrites {

    private EngineWrites() {
    }

    /** Copies of the documents matching {@code query}, in {@code sort} order (may be null); limit 0 is all. */
    static List<Document> matching(CommandContext ctx, Document query, Document sort, int limit) {
        MongoCollection<?> collection = ctx.node().storage().backend().resolveDatabase(ctx.db())
            .resolveCollection(ctx.collectionName(), false);
        List<Document> out = new ArrayList<>();
        if (collection == null) {
            return out;
        }
        // Wrapped in $query, so that a filter on a field named "query" is not read as the wrapper.
        Document selector = new Document("$query", query);
        if (sort != null) {
            selector.put("$orderby", sort);
        }
        for (Document d : collection.handleQuery(new QueryParameters(selector, 0, limit))) {
            out.add(d.cloneDeeply()); // the engine hands out its stored instances, which the write will change
        }
        return out;
    }

    /** The stored document with this _id, through the engine's find and its projection (null: all fields). */
    static Document byId(CommandContext ctx, Object id, Document projection) {
        Document find = new Document("find", ctx.collectionName()).append("filter", new Document("_id", id)).append("limit", 1);
        if (projection != null) {
            find.put("projection", projection);
        }
        Document cursor = (Document) ctx.node().storage().run(ctx.channel(), ctx.db(), "find", find).get("cursor");
        List<?> batch = (List<?>) cursor.get("firstBatch");
        // A copy: without a projection the engine hands out its stored instance, which a later write changes.
        return batch.isEmpty() ? null : ((Document) batch.get(0)).cloneDeeply();
    }

    /** Replaces the document with {@code replacement}'s _id; returns whether it changed. */
    static boolean replace(CommandContext ctx, Document replacement) {
        Document statement = new Document("q", new Document("_id", replacement.get("_id"))).append("u", replacement);
        Document reply = ctx.node().storage().run(ctx.channel(), ctx.db(), "update",
            new Document("update", ctx.collectionName()).append("updates", List.of(statement)).append("ordered", true));
        throwWriteError(reply);
        return ((Number) reply.get("nModified")).intValue() > 0;
    }

    static void insert(CommandContext ctx, Document document) {
        Document reply = ctx.node().storage().run(ctx.channel(), ctx.db(), "insert",
            new Document("insert", ctx.collectionName()).append("documents", List.of(document)).append("ordered", true));
        throwWriteError(reply);
    }

    /** The engine reports a failed statement as a write error; these one-statement writes make it an exception. */
    private static void throwWriteError(Document reply) {
        if (reply.get("writeErrors") instanceof List<?> errors && !errors.isEmpty()) {
            Document error = (Document) errors.get(0);
            // The engine leaves the code out for failures that are not MongoServerErrors.
            int code = error.get("code") instanceof Number n ? n.intValue() : ErrorCode.CommandFailed.code();
            Object codeName = error.get("codeName") != null ? error.get("codeName")
                : error.get("code") == null ? ErrorCode.CommandFailed.codeName() : null;
            throw new MongoServerError(code, codeName != null ? codeName.toString() : "Location" + code,
                String.valueOf(error.get("errmsg")));
        }
    }
}
