package io.shardstore.node.command.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * A pipeline-style update ({@code u: [stages]}), as MongoDB 4.2+ runs it: the stages transform one
 * document into its replacement. The engine has no pipeline updates, but it has the stages: they run
 * through its own aggregation on a one-document stream, and the result is written as a replacement.
 */
final class PipelineUpdate {
    /** The stages MongoDB allows in an update pipeline ($fill aside, which the engine lacks). */
    private static final Set<String> ALLOWED = Set.of("$addFields", "$set", "$project", "$unset", "$replaceRoot", "$replaceWith");
    /** Stages the engine knows in aggregate but MongoDB refuses in an update (InvalidOptions rather than unknown stage). */
    private static final Set<String> AGGREGATION_ONLY = Set.of("$match", "$skip", "$limit", "$sort", "$count", "$group",
        "$unwind", "$graphLookup", "$lookup", "$sample", "$sortByCount", "$bucket", "$facet", "$indexStats", "$out",
        "$redact", "$merge", "$geoNear", "$bucketAuto", "$densify", "$setWindowFields", "$unionWith", "$changeStream",
        "$collStats", "$currentOp", "$listSessions", "$documents", "$search");

    private final Aggregation aggregation;

    private PipelineUpdate(Aggregation aggregation) {
        this.aggregation = aggregation;
    }

    /** Whether an update statement's {@code u} is a pipeline rather than operators or a replacement. */
    static boolean isPipeline(Object u) {
        return u instanceof List<?>;
    }

    /**
     * Parses {@code u}; {@code constants} (the statement's {@code c}) and {@code let} (the command's) become
     * {@code $$variables}. {@code arrayFilters} name array elements for operators, which a pipeline has not.
     */
    static PipelineUpdate parse(Object u, Object arrayFilters, Object constants, Object let) {
        if (arrayFilters != null) {
            throw Errors.of(ErrorCode.FailedToParse, "arrayFilters may not be specified for pipeline-style updates");
        }
        List<Document> stages = new ArrayList<>();
        for (Object stage : (List<?>) u) {
            if (!(stage instanceof Document d)) {
                throw Errors.typeMismatch("Each element of the 'pipeline' array must be an object");
            }
            stages.add(translate(d));
        }
        // Only single-document stages are allowed, so no database, collection or oplog is ever consulted.
        Aggregation aggregation = Aggregation.fromPipeline(stages, null, null, null, null);
        Document variables = new Document();
        addVariables(variables, let);
        addVariables(variables, constants);
        if (!variables.isEmpty()) {
            aggregation.setVariables(variables);
        }
        return new PipelineUpdate(aggregation);
    }

    /**
     * The new version of {@code original}. An {@code _id} the pipeline dropped is kept (first, where it was);
     * one it changed is refused, as mongod refuses it.
     */
    Document apply(Document original) {
        List<Document> out = aggregation.runStages(Stream.of(original.cloneDeeply()));
        Document result = out.get(0);
        Object id = original.get("_id");
        if (id == null) {
            return result;
        }
        if (!result.containsKey("_id")) {
            Document withId = new Document("_id", id);
            withId.putAll(result);
            return withId;
        }
        if (ValueComparator.asc().compare(id, result.get("_id")) != 0) {
            throw Errors.of(ErrorCode.ImmutableField,
                "After applying the update, the (immutable) field '_id' was found to have been altered to _id: " + result.get("_id"));
        }
        return result;
    }

    /**
     * The document an upsert inserts when nothing matched {@code query}: the pipeline applied to the query's
     * equality fields, with an {@code _id} (the query's, the pipeline's, or a new ObjectId) first.
     */
    Document upsertFrom(Document query) {
        Document created = apply(UpsertSeed.of(query));
        Document withIdFirst = new Document("_id", created.containsKey("_id") ? created.get("_id") : new ObjectId());
        withIdFirst.putAll(created);
        return withIdFirst;
    }

    /** Spells the stage the way the engine's aggregation knows it; refuses what an update may not run. */
    private static Document translate(Document stage) {
        if (stage.size() != 1) {
            throw Errors.location(40323, "A pipeline stage specification object must contain exactly one field.");
        }
        String name = stage.keySet().iterator().next();
        Object spec = stage.get(name);
        if (!ALLOWED.contains(name)) {
            if (AGGREGATION_ONLY.contains(name)) {
                throw Errors.of(ErrorCode.InvalidOptions, name + " is not allowed to be used within an update");
            }
            throw Errors.location(40324, "Unrecognized pipeline stage name: '" + name + "'");
        }
        switch (name) {
            case "$set", "$addFields" -> {
                if (!(spec instanceof Document)) {
                    throw Errors.location(40272, name + " specification stage must be an object, got " + Errors.typeName(spec));
                }
                return new Document("$addFields", spec);
            }
            case "$project" -> {
                if (!(spec instanceof Document)) {
                    throw Errors.location(15969, "$project specification must be an object");
                }
                return stage;
            }
            case "$replaceRoot" -> {
                if (!(spec instanceof Document)) {
                    throw Errors.location(40229, "expected an object as specification for $replaceRoot stage, got "
                        + Errors.typeName(spec));
                }
                return stage;
            }
            case "$replaceWith" -> {
                return new Document("$replaceRoot", new Document("newRoot", spec));
            }
            default -> {
                return stage; // $unset: a field name or a list of them, checked by the engine
            }
        }
    }

    private static void addVariables(Document variables, Object source) {
        if (source == null) {
            return;
        }
        if (!(source instanceof Document d)) {
            throw Errors.typeMismatch("'let' and 'c' must be objects, found " + Errors.typeName(source));
        }
        for (Map.Entry<String, Object> e : d.entrySet()) {
            // The engine resolves $$name by looking up "$name" in the document it evaluates.
            variables.put("$" + e.getKey(), e.getValue());
        }
    }
}
