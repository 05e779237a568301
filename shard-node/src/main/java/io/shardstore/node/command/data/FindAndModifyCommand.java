package io.shardstore.node.command.data;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.protocol.CommandSyntax;
import io.shardstore.node.command.Errors;
import io.shardstore.node.storage.JournalRecords;
import io.shardstore.protocol.ErrorCode;

/**
 * findAndModify. The engine's findAndModify bypasses its write hooks, so this handler journals the
 * effect itself: it needs the touched document's {@code _id}, which is why an upsert gets its
 * {@code _id} chosen here and a projection that hides {@code _id} is applied after the fact. A pipeline-style
 * update, which the engine cannot run, goes to {@link PipelineFindAndModify}.
 */
public final class FindAndModifyCommand implements Command {

    @Override
    public CommandSyntax.Syntax options() {
        return CommandSyntax.of("findAndModify");
    }

    @Override
    public String name() {
        return "findAndModify";
    }

    @Override
    public List<String> aliases() {
        return List.of("findandmodify");
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        Document body = ctx.body();
        LetVariables let = LetVariables.of(body);
        if (let != null && body.get("query") != null) {
            body.put("query", let.bindFilter(body.get("query")));
        }
        String ns = ctx.db() + "." + ctx.collectionName();
        boolean remove = truthy(body.get("remove"));
        boolean upsert = truthy(body.get("upsert"));
        Object sampleId = SampledDiffs.take(body);
        validate(body, remove, upsert);
        Document before = sampleId != null && !remove ? SampledDiffs.before(ctx, body.get("query"), body.get("sort")) : null;
        Document reply = run(ctx, body, ns, remove, upsert);
        SampledDiffs.record(ctx, sampleId, before);
        return reply;
    }

    private Document run(CommandContext ctx, Document body, String ns, boolean remove, boolean upsert) {
        if (PipelineUpdate.isPipeline(body.get("update"))) {
            return PipelineFindAndModify.run(ctx, body);
        }
        boolean hideId = hidesId(body.get("fields"));
        if (hideId) {
            Document fields = new Document((Document) body.get("fields"));
            fields.remove("_id");
            if (fields.isEmpty()) {
                body.remove("fields");
            } else {
                body.put("fields", fields);
            }
        }
        Object upsertId = !remove && upsert ? chooseUpsertId(body) : null;

        Document reply = ctx.node().storage().run(ctx.channel(), ctx.db(), ctx.name(), body);

        Document value = reply.get("value") instanceof Document d ? d : null;
        if (remove) {
            if (value != null) {
                ctx.node().storage().record(JournalRecords.delete(ns, value.get("_id")));
            }
        } else {
            Object id = value != null && value.containsKey("_id") ? value.get("_id") : upsertId;
            if (id != null) {
                ctx.node().storage().recordCurrentState(ns, id);
            }
        }
        if (!reply.containsKey("lastErrorObject")) {
            // The engine reports lastErrorObject only for an updated existing document; mongod always does.
            reply.put("lastErrorObject", lastErrorObject(remove, upsert, value, upsertId));
        }
        if (hideId && value != null) {
            // A copy: without a projection the engine returns its stored document, which must keep its _id.
            Document shown = new Document(value);
            shown.remove("_id");
            reply.put("value", shown);
        }
        return reply;
    }

    /** The option combinations mongod refuses before looking at any document. */
    private static void validate(Document body, boolean remove, boolean upsert) {
        boolean update = body.get("update") != null;
        if (remove && update) {
            throw Errors.of(ErrorCode.FailedToParse, "Cannot specify both an update and remove=true");
        }
        if (remove && truthy(body.get("new"))) {
            throw Errors.of(ErrorCode.FailedToParse,
                "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document");
        }
        if (remove && upsert) {
            throw Errors.of(ErrorCode.FailedToParse, "Cannot specify both upsert=true and remove=true");
        }
        if (!remove && !update) {
            throw Errors.of(ErrorCode.FailedToParse, "Either an update or remove=true must be specified");
        }
        if (update && !(body.get("update") instanceof Document) && !PipelineUpdate.isPipeline(body.get("update"))) {
            throw Errors.of(ErrorCode.FailedToParse, "Update argument must be either an object or an array");
        }
        if (update) {
            StorableDocument.checkUpdate(body.get("update"));
        }
    }

    /**
     * lastErrorObject when the engine gave none: a remove (n is 0 or 1), an upsert that inserted (the engine
     * upserts whenever nothing matched), or an update that matched nothing.
     */
    private static Document lastErrorObject(boolean remove, boolean upsert, Document value, Object upsertId) {
        if (remove) {
            return new Document("n", value != null ? 1 : 0);
        }
        if (upsert) {
            Object id = upsertId != null ? upsertId : value != null ? value.get("_id") : null;
            Document leo = new Document("n", 1).append("updatedExisting", false);
            if (id != null) {
                leo.put("upserted", id);
            }
            return leo;
        }
        return new Document("n", 0).append("updatedExisting", false);
    }

    /** The _id an upsert will insert with, set into the request when the request does not fix one. */
    private static Object chooseUpsertId(Document body) {
        Document query = body.get("query") instanceof Document q ? q : new Document();
        Object queryId = query.get("_id");
        if (queryId != null && !(queryId instanceof Document d && d.keySet().stream().anyMatch(k -> k.startsWith("$")))) {
            return queryId;
        }
        if (!(body.get("update") instanceof Document update)) {
            return null;
        }
        // mongod also takes the _id from {_id: {$eq: v}}, each clause of $and and a one-clause $or; the engine
        // does not, so that _id is written into the update below like a chosen one.
        Object seedId = seedId(query);
        boolean operators = update.keySet().stream().anyMatch(k -> k.startsWith("$"));
        if (!operators) {
            if (update.containsKey("_id")) {
                return update.get("_id");
            }
            Object id = seedId != null ? seedId : new ObjectId();
            Document replacement = new Document("_id", id);
            replacement.putAll(update);
            body.put("update", replacement);
            return id;
        }
        for (String op : List.of("$set", "$setOnInsert")) {
            if (update.get(op) instanceof Document set && set.containsKey("_id")) {
                return set.get("_id");
            }
        }
        Object id = seedId != null ? seedId : new ObjectId();
        Document setOnInsert = update.get("$setOnInsert") instanceof Document s ? new Document(s) : new Document();
        setOnInsert.put("_id", id);
        Document rewritten = new Document(update);
        rewritten.put("$setOnInsert", setOnInsert);
        body.put("update", rewritten);
        return id;
    }

    /**
     * The _id mongod's upsert would take from the query's equalities, or null. A query whose equalities conflict
     * (NotSingleValueField) may still match a document, so that error is left to the engine's upsert, if any.
     */
    private static Object seedId(Document query) {
        try {
            return UpsertSeed.of(query).get("_id");
        } catch (MongoServerError e) {
            return null;
        }
    }

    private static boolean hidesId(Object fields) {
        return fields instanceof Document f && f.containsKey("_id") && !truthy(f.get("_id"));
    }

    private static boolean truthy(Object v) {
        return v instanceof Boolean b ? b : v instanceof Number n && n.doubleValue() != 0;
    }
}
