package io.shardstore.node.command.data;

import java.util.List;

import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.CommandContext;

/**
 * findAndModify with a pipeline-style update, which the engine cannot run. The first matching document (in
 * {@code sort} order) is transformed by {@link PipelineUpdate} and written back through the engine's update
 * path, so the effect recorder journals it; {@code fields} is applied by the engine's find projection.
 */
final class PipelineFindAndModify {

    private PipelineFindAndModify() {
    }

    static Document run(CommandContext ctx, Document body) {
        Document query = body.get("query") instanceof Document q ? q : new Document();
        Document sort = body.get("sort") instanceof Document s && !s.isEmpty() ? s : null;
        Document fields = body.get("fields") instanceof Document f && !f.isEmpty() ? f : null;
        boolean returnNew = Utils.isTrue(body.get("new"));
        PipelineUpdate pipeline = PipelineUpdate.parse(body.get("update"), body.get("arrayFilters"), null, body.get("let"));

        List<Document> matched = EngineWrites.matching(ctx, query, sort, 1);
        if (!matched.isEmpty()) {
            Document before = matched.get(0);
            Object id = before.get("_id");
            // The pre-image is projected while it is still the stored document.
            Document old = returnNew ? null : fields == null ? before : EngineWrites.byId(ctx, id, fields);
            EngineWrites.replace(ctx, pipeline.apply(before));
            Document value = returnNew ? EngineWrites.byId(ctx, id, fields) : old;
            return reply(value, new Document("n", 1).append("updatedExisting", true));
        }
        if (Utils.isTrue(body.get("upsert"))) {
            Document created = pipeline.upsertFrom(query);
            EngineWrites.insert(ctx, created);
            Document value = returnNew ? EngineWrites.byId(ctx, created.get("_id"), fields) : null;
            return reply(value, new Document("n", 1).append("updatedExisting", false).append("upserted", created.get("_id")));
        }
        return reply(null, new Document("n", 0).append("updatedExisting", false));
    }

    private static Document reply(Document value, Document lastErrorObject) {
        return new Document("lastErrorObject", lastErrorObject).append("value", value);
    }
}
