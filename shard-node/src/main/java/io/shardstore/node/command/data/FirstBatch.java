package io.shardstore.node.command.data;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;

/**
 * Cuts a cursor reply's first batch to the requested size and parks the rest in a cursor for getMore. The
 * engine answers find with batchSize 0 and every aggregate with all results in the first batch.
 */
final class FirstBatch {
    /** mongod's IDL check for a batchSize below 0. */
    private static final int BATCH_SIZE_NEGATIVE = 51024;

    private FirstBatch() {
    }

    /** The batchSize {@code value}, checked as mongod checks it; null when absent. */
    static Integer batchSize(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number n)) {
            throw Errors.typeMismatch("BSON field 'batchSize' is the wrong type '" + Errors.typeName(value)
                + "', expected types '[long, int, decimal, double]'");
        }
        if (n.longValue() < 0) {
            throw Errors.location(BATCH_SIZE_NEGATIVE, "BSON field 'batchSize' value must be >= 0, actual value '" + n.longValue() + "'");
        }
        return (int) Math.min(n.longValue(), Integer.MAX_VALUE);
    }

    /**
     * Leaves at most {@code batchSize} documents in the reply's firstBatch. The rest go to a new cursor; so does
     * an empty rest when {@code batchSize} is 0 (mongod opens that cursor without looking for results), unless
     * the collection does not exist (then mongod's plan is at its end at once, and the cursor id is 0).
     */
    static void cut(CommandContext ctx, Document reply, int batchSize) {
        Document cursor = (Document) reply.get("cursor");
        if (cursor.get("id") instanceof Number id && id.longValue() != 0) {
            return; // the engine batches this one itself
        }
        List<?> all = (List<?>) cursor.get("firstBatch");
        if (all.size() <= batchSize && batchSize > 0 || all.isEmpty() && !collectionExists(ctx)) {
            return;
        }
        List<Document> first = new ArrayList<>();
        List<Document> rest = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (i < batchSize ? first : rest).add((Document) all.get(i));
        }
        cursor.put("firstBatch", first);
        cursor.put("id", ctx.node().storage().openCursor(rest));
    }

    private static boolean collectionExists(CommandContext ctx) {
        return ctx.body().get(ctx.name()) instanceof String collection
            && ctx.node().storage().backend().resolveDatabase(ctx.db()).resolveCollection(collection, false) != null;
    }
}
