package io.shardstore.node.command.data;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.MongoServerException;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * An update batch holding pipeline-style statements, run one statement at a time: pipelines here, the
 * others by the engine (each as a batch of one, its indexes renumbered). The reply is the one mongod
 * gives for the whole batch; an ordered batch stops at its first failed statement.
 */
final class UpdateBatch {
    private static final int MISSING_REQUIRED_FIELD = 40414;

    private final CommandContext ctx;
    private int n;
    private int nModified;
    private final List<Document> upserted = new ArrayList<>();
    private final List<Document> writeErrors = new ArrayList<>();

    UpdateBatch(CommandContext ctx) {
        this.ctx = ctx;
    }

    Document run(List<?> statements) {
        boolean ordered = Boolean.TRUE.equals(ctx.body().get("ordered"));
        LetVariables let = LetVariables.of(ctx.body());
        for (int i = 0; i < statements.size(); i++) {
            Document statement = (Document) statements.get(i);
            Object sampleId = SampledDiffs.take(statement);
            if (let != null) {
                statement = new Document(statement);
                statement.put("q", let.bindFilter(statement.get("q")));
            }
            try {
                StorableDocument.checkUpdate(statement.get("u"));
                int errorsBefore = writeErrors.size();
                Document before = sampleId != null && !Utils.isTrue(statement.get("multi"))
                    ? SampledDiffs.before(ctx, statement.get("q"), null) : null;
                if (PipelineUpdate.isPipeline(statement.get("u"))) {
                    runPipeline(i, statement);
                } else if (upsertsNullId(statement)) {
                    runNullIdUpsert(i, statement);
                } else {
                    runByEngine(i, statement);
                }
                if (writeErrors.size() == errorsBefore) {
                    SampledDiffs.record(ctx, sampleId, before);
                }
            } catch (MongoServerException e) {
                writeErrors.add(writeError(i, e));
            }
            if (ordered && !writeErrors.isEmpty()) {
                break;
            }
        }
        Document reply = new Document("n", n).append("nModified", nModified);
        if (!upserted.isEmpty()) {
            reply.put("upserted", upserted);
        }
        if (!writeErrors.isEmpty()) {
            reply.put("writeErrors", writeErrors);
        }
        return reply;
    }

    private void runPipeline(int index, Document statement) {
        if (!(statement.get("q") instanceof Document query)) {
            throw statement.get("q") == null
                ? Errors.location(MISSING_REQUIRED_FIELD, "BSON field 'update.updates.q' is missing but a required field")
                : Errors.typeMismatch("BSON field 'update.updates.q' is the wrong type '" + Errors.typeName(statement.get("q"))
                    + "', expected type 'object'");
        }
        PipelineUpdate pipeline = PipelineUpdate.parse(statement.get("u"), statement.get("arrayFilters"),
            statement.get("c"), ctx.body().get("let"));
        boolean multi = Utils.isTrue(statement.get("multi"));
        List<Document> matched = EngineWrites.matching(ctx, query, null, multi ? 0 : 1);
        for (Document doc : matched) {
            n++; // counted before the write: a later failure leaves the earlier documents updated, as in mongod
            if (EngineWrites.replace(ctx, pipeline.apply(doc))) {
                nModified++;
            }
        }
        if (matched.isEmpty() && Utils.isTrue(statement.get("upsert"))) {
            Document created = pipeline.upsertFrom(query);
            EngineWrites.insert(ctx, created);
            n++;
            upserted.add(new Document("index", index).append("_id", created.get("_id")));
        }
    }

    /** An upsert whose filter asks for {@code _id: null}: mongod's new document has that null _id. */
    static boolean upsertsNullId(Document statement) {
        return Utils.isTrue(statement.get("upsert")) && statement.get("q") instanceof Document q && q.containsKey("_id")
            && (q.get("_id") == null || q.get("_id") instanceof Document eq && eq.size() == 1 && eq.containsKey("$eq") && eq.get("$eq") == null);
    }

    /**
     * The engine takes a null _id for a missing one and generates an ObjectId. When nothing matches, the engine
     * upserts with a placeholder _id (so the update's operators apply as usual), and the document is moved to the
     * null _id: deleted and inserted again, in one storage-thread step, journaled and logged as any write.
     */
    private void runNullIdUpsert(int index, Document statement) {
        Document query = (Document) statement.get("q");
        if (!EngineWrites.matching(ctx, query, null, 1).isEmpty()) {
            runByEngine(index, statement);
            return;
        }
        ObjectId placeholder = new ObjectId();
        Document placed = new Document(query);
        placed.put("_id", placeholder);
        Document withPlaceholder = new Document(statement);
        withPlaceholder.put("q", placed);
        Document single = new Document(ctx.body());
        single.put("updates", List.of(withPlaceholder));
        single.put("ordered", true);
        Document reply = ctx.node().storage().run(ctx.channel(), ctx.db(), "update", single);
        if (reply.get("writeErrors") instanceof List<?> errors && !errors.isEmpty()) {
            renumber(errors, index, writeErrors);
            return;
        }
        Document created = EngineWrites.byId(ctx, placeholder, null);
        if (created == null || !placeholder.equals(created.get("_id"))) {
            throw Errors.of(ErrorCode.ImmutableField, "the upsert set _id, which its filter fixes to null");
        }
        ctx.node().storage().run(ctx.channel(), ctx.db(), "delete", new Document("delete", ctx.collectionName())
            .append("deletes", List.of(new Document("q", new Document("_id", placeholder)).append("limit", 1))));
        Document moved = new Document("_id", null);
        created.forEach((k, v) -> {
            if (!k.equals("_id")) {
                moved.put(k, v);
            }
        });
        EngineWrites.insert(ctx, moved);
        n++;
        upserted.add(new Document("index", index).append("_id", null));
    }

    private void runByEngine(int index, Document statement) {
        Document single = new Document(ctx.body());
        single.put("updates", List.of(statement));
        single.put("ordered", true);
        Document reply = ctx.node().storage().run(ctx.channel(), ctx.db(), "update", single);
        n += ((Number) reply.get("n")).intValue();
        nModified += ((Number) reply.get("nModified")).intValue();
        renumber(reply.get("upserted"), index, upserted);
        renumber(reply.get("writeErrors"), index, writeErrors);
    }

    /** Adds a one-statement reply's entries (write errors, upserts) to {@code into}, at the batch index {@code index}. */
    static void renumber(Object entries, int index, List<Document> into) {
        if (entries instanceof List<?> list) {
            for (Object entry : list) {
                Document d = new Document((Document) entry);
                d.put("index", index);
                into.add(d);
            }
        }
    }

    static Document writeError(int index, MongoServerException e) {
        Document error = new Document("index", index);
        if (e instanceof MongoServerError m) {
            error.put("code", m.getCode());
            error.put("codeName", m.getCodeName() != null ? m.getCodeName() : "Location" + m.getCode());
        } else {
            error.put("code", ErrorCode.CommandFailed.code());
            error.put("codeName", ErrorCode.CommandFailed.codeName());
        }
        error.put("errmsg", e.getMessageWithoutErrorCode());
        return error;
    }
}
