package io.shardstore.node.command.data;

import java.util.List;
import java.util.Objects;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.CommandContext;

/**
 * {@code config.sampledQueriesDiff}, as mongod keeps it: a router that samples an update (configureQueryAnalyzer) puts
 * the sample's id in the statement ({@code sampleId}, or at the top of a findAndModify), and the shard that applies it
 * stores what it changed in the document, in the oplog's diff format ({@code d} deleted fields, {@code u} updated,
 * {@code i} inserted, {@code s<field>} a sub-document's own diff), under that id. analyzeShardKey reads the diffs to
 * count the updates that really changed a candidate key, which the update's text alone cannot tell (a replacement
 * that keeps the key, a {@code $set} to the same value, a pipeline).
 * <p>
 * Only single-document updates are diffed (as mongod: a multi update's documents have no one diff). Storage thread.
 */
final class SampledDiffs {
    static final String FIELD = "sampleId";
    /** MongoDB's queryAnalysisSampleExpirationSecs default: 7 days. */
    private static final long EXPIRE_AFTER_MILLIS = 7L * 24 * 3600 * 1000;

    private SampledDiffs() {
    }

    /** Removes the statement's sample id (the engine knows no such field) and returns it, or null. */
    static Object take(Document statement) {
        return statement.remove(FIELD);
    }

    /** Whether any statement carries a sample id. */
    static boolean anySampled(List<?> statements) {
        for (Object s : statements) {
            if (s instanceof Document d && d.containsKey(FIELD)) {
                return true;
            }
        }
        return false;
    }

    /** The document the write will change (a copy), or null when none matches. */
    static Document before(CommandContext ctx, Object query, Object sort) {
        if (!(query instanceof Document q)) {
            return null;
        }
        List<Document> matched = EngineWrites.matching(ctx, q, sort instanceof Document s ? s : null, 1);
        return matched.isEmpty() ? null : matched.get(0);
    }

    /**
     * Stores the diff from {@code before} to the document now stored under its _id, when there is one. Called after the
     * user's write was applied: a failure here is logged and dropped, never reported as the write's failure.
     */
    static void record(CommandContext ctx, Object sampleId, Document before) {
        if (sampleId == null || before == null) {
            return;
        }
        try {
            store(ctx, sampleId, before);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(SampledDiffs.class).warn("the diff of sampled update {} on {}.{} not stored: {}",
                sampleId, ctx.db(), ctx.collectionName(), e.toString());
        }
    }

    private static void store(CommandContext ctx, Object sampleId, Document before) {
        Document after = EngineWrites.byId(ctx, before.get("_id"), null);
        if (after == null) {
            return;
        }
        Document diff = of(before, after);
        if (diff.isEmpty()) {
            return;
        }
        Document entry = new Document("_id", sampleId).append("ns", ctx.db() + "." + ctx.collectionName())
            .append("diff", diff).append("expireAt", java.time.Instant.ofEpochMilli(System.currentTimeMillis() + EXPIRE_AFTER_MILLIS));
        // The TTL index mongod gives the collection, built with it: diffs expire with their samples.
        if (!ctx.node().storage().hasCollection("config.sampledQueriesDiff")) {
            ctx.node().storage().run(ctx.channel(), "config", "createIndexes", new Document("createIndexes", "sampledQueriesDiff")
                .append("indexes", List.of(new Document("key", new Document("expireAt", 1)).append("name", "expireAt_1")
                    .append("expireAfterSeconds", 0))));
        }
        // A retried statement was not applied twice (the retryable-write layer answers it), so an id is stored once;
        // an upsert keeps a duplicate id from failing the user's write.
        ctx.node().storage().run(ctx.channel(), "config", "update", new Document("update", "sampledQueriesDiff")
            .append("updates", List.of(new Document("q", new Document("_id", sampleId)).append("u", entry).append("upsert", true)))
            .append("ordered", true));
    }

    /** The oplog's v2 diff of two versions of a document; empty when they are the same. */
    static Document of(Document before, Document after) {
        Document deleted = new Document();
        Document updated = new Document();
        Document inserted = new Document();
        Document nested = new Document();
        for (String field : before.keySet()) {
            if (!after.containsKey(field)) {
                deleted.put(field, false);
            }
        }
        for (String field : after.keySet()) {
            Object now = after.get(field);
            if (!before.containsKey(field)) {
                inserted.put(field, now);
                continue;
            }
            Object was = before.get(field);
            if (was instanceof Document w && now instanceof Document n) {
                Document sub = of(w, n);
                if (!sub.isEmpty()) {
                    nested.put("s" + field, sub);
                }
            } else if (!Objects.equals(was, now) || (was != null && now != null && was.getClass() != now.getClass())) {
                updated.put(field, now);
            }
        }
        Document diff = new Document();
        if (!deleted.isEmpty()) {
            diff.put("d", deleted);
        }
        if (!updated.isEmpty()) {
            diff.put("u", updated);
        }
        if (!inserted.isEmpty()) {
            diff.put("i", inserted);
        }
        diff.putAll(nested);
        return diff;
    }
}
