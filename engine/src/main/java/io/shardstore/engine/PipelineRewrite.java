package io.shardstore.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * Rewrites of an aggregation pipeline into forms the embedded engine evaluates as MongoDB 7.0 does, for what its
 * newest release (1.47.0) gets wrong; the shard node applies them to every pipeline it runs, the router to the merge
 * part of a split pipeline, which it runs with the same engine:
 * <ul>
 * <li>{@code $switch} (unknown to it, refused with 168): nested {@code $cond}s, first true branch wins. Without a
 * default, an input no branch matches is mongod's error 40066: the innermost {@code $cond} yields a marker value,
 * and {@link #checkNoMarker} fails the command if the marker reaches the output.</li>
 * <li>a dotted {@code $project} path given an expression ({@code "y.z": "$x"}), which it stored as a flat field named
 * "y.z": the path becomes nested documents ({@code y: {z: "$x"}}), the equivalent spelling mongod documents.</li>
 * <li>the stage aliases {@code $set} ({@code $addFields}) and {@code $replaceWith} ({@code $replaceRoot}); stages of
 * MongoDB 7.0 it does not have ({@code $unionWith}, {@code $setWindowFields}, {@code $densify}...) are refused with
 * 238 rather than its "unrecognized stage".</li>
 * <li>{@code $getField}, {@code $setField}, {@code $unsetField} ({@link FieldExpressions}).</li>
 * </ul>
 * Expressions are rewritten where the engine reads them: in every stage but {@code $match} (there inside
 * {@code $expr} only), and in the sub-pipelines of {@code $lookup}, {@code $facet} and {@code $unionWith}.
 */
public final class PipelineRewrite {
    /** Marks "no $switch branch matched and there is no default"; no document should ever hold it. */
    public static final String NO_BRANCH = "\u0000$switch: no matching branch\u0000";

    private PipelineRewrite() {
    }

    public static Object pipeline(Object pipeline) {
        if (!(pipeline instanceof List<?> stages)) {
            return pipeline;
        }
        List<Object> out = new ArrayList<>();
        for (Object stage : stages) {
            out.add(stage instanceof Document d && d.size() == 1 ? stage(d) : stage);
        }
        return out;
    }

    private static Document stage(Document stage) {
        String name = stage.keySet().iterator().next();
        Object spec = stage.get(name);
        return switch (name) {
            // Aliases MongoDB 4.2 added, unknown to the engine.
            case "$set" -> new Document("$addFields", expression(spec));
            case "$replaceWith" -> new Document("$replaceRoot", new Document("newRoot", expression(spec)));
            case "$unionWith", "$densify", "$fill", "$setWindowFields", "$bucketAuto", "$changeStream", "$listSessions",
                 "$planCacheStats", "$search", "$searchMeta", "$vectorSearch", "$changeStreamSplitLargeEvent" ->
                throw new MongoServerError(238, "NotImplemented", "the " + name + " stage is not supported by this server");
            case "$match" -> new Document(name, filter(spec));
            case "$project" -> new Document(name, nestDottedPaths(expression(spec)));
            case "$lookup" -> {
                if (spec instanceof Document d && d.containsKey("pipeline")) {
                    Document copy = new Document(d);
                    copy.put("pipeline", pipeline(d.get("pipeline")));
                    yield new Document(name, copy);
                }
                yield stage;
            }
            case "$facet" -> {
                if (spec instanceof Document facets) {
                    Document copy = new Document();
                    facets.forEach((k, v) -> copy.put(k, pipeline(v)));
                    yield new Document(name, copy);
                }
                yield stage;
            }
            default -> new Document(name, expression(spec));
        };
    }

    /** A filter: expressions only inside {@code $expr} (and the clauses of $and / $or / $nor). */
    public static Object filter(Object filter) {
        if (!(filter instanceof Document d)) {
            return filter;
        }
        Document out = new Document();
        for (Map.Entry<String, Object> e : d.entrySet()) {
            String key = e.getKey();
            if (key.equals("$expr")) {
                out.put(key, expression(e.getValue()));
            } else if ((key.equals("$and") || key.equals("$or") || key.equals("$nor")) && e.getValue() instanceof List<?> list) {
                out.put(key, list.stream().map(PipelineRewrite::filter).toList());
            } else {
                out.put(key, e.getValue());
            }
        }
        return out;
    }

    public static Object expression(Object value) {
        if (value instanceof Document d) {
            if (d.size() == 1 && d.containsKey("$literal")) {
                return d;
            }
            if (d.size() == 1 && d.containsKey("$switch")) {
                return switchAsCond(d.get("$switch"));
            }
            if (d.size() == 1 && (d.containsKey("$getField") || d.containsKey("$setField") || d.containsKey("$unsetField"))) {
                return FieldExpressions.rewrite(d);
            }
            Document out = new Document();
            d.forEach((k, v) -> out.put(k, expression(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(PipelineRewrite::expression).toList();
        }
        return value;
    }

    /** {@code $switch} as nested {@code $cond}s, checked as mongod parses it (40060-40068). */
    private static Object switchAsCond(Object spec) {
        if (!(spec instanceof Document args)) {
            throw location(40060, "$switch requires an object as an argument, found: " + typeName(spec));
        }
        for (String key : args.keySet()) {
            if (!key.equals("branches") && !key.equals("default")) {
                throw location(40067, "$switch found an unknown argument: " + key);
            }
        }
        if (!(args.get("branches") instanceof List<?> branches)) {
            throw location(40061, "$switch expected an array for 'branches', found: " + typeName(args.get("branches")));
        }
        if (branches.isEmpty()) {
            throw location(40068, "$switch requires at least one branch.");
        }
        Object result = args.containsKey("default") ? expression(args.get("default")) : new Document("$literal", NO_BRANCH);
        for (int i = branches.size() - 1; i >= 0; i--) {
            if (!(branches.get(i) instanceof Document branch)) {
                throw location(40062, "$switch expected each branch to be an object, found: " + typeName(branches.get(i)));
            }
            for (String key : branch.keySet()) {
                if (!key.equals("case") && !key.equals("then")) {
                    throw location(40063, "$switch found an unknown argument to a branch: " + key);
                }
            }
            if (!branch.containsKey("case")) {
                throw location(40064, "$switch requires each branch have a 'case' expression");
            }
            if (!branch.containsKey("then")) {
                throw location(40065, "$switch requires each branch have a 'then' expression.");
            }
            result = new Document("$cond", List.of(expression(branch.get("case")), expression(branch.get("then")), result));
        }
        return result;
    }

    /** {@code {"y.z": expr}} as {@code {y: {z: expr}}}; inclusions and exclusions ({@code "a.b": 1}) stay. */
    private static Object nestDottedPaths(Object spec) {
        if (!(spec instanceof Document d)) {
            return spec;
        }
        Document out = new Document();
        for (Map.Entry<String, Object> e : d.entrySet()) {
            String path = e.getKey();
            if (path.indexOf('.') < 0 || path.startsWith("$") || isInclusionOrExclusion(e.getValue())) {
                out.put(path, e.getValue());
                continue;
            }
            String[] parts = path.split("\\.");
            Document at = out;
            for (int i = 0; i < parts.length - 1; i++) {
                Object next = at.get(parts[i]);
                if (next == null) {
                    Document created = new Document();
                    at.put(parts[i], created);
                    at = created;
                } else if (next instanceof Document nested && !isOperator(nested)) {
                    at = nested;
                } else {
                    throw location(31250, "Invalid $project :: caused by :: Path collision at " + path);
                }
            }
            at.put(parts[parts.length - 1], e.getValue());
        }
        return out;
    }

    private static MongoServerError location(int code, String message) {
        return new MongoServerError(code, "Location" + code, message);
    }

    private static String typeName(Object value) {
        return value == null ? "null" : value instanceof String ? "string" : value instanceof Document ? "object"
            : value instanceof List ? "array" : value instanceof Boolean ? "bool" : value instanceof Number ? "number" : "value";
    }

    private static boolean isInclusionOrExclusion(Object value) {
        return value instanceof Boolean || value instanceof Number;
    }

    private static boolean isOperator(Document d) {
        return !d.isEmpty() && d.keySet().iterator().next().startsWith("$");
    }

    /** Whether a rewritten pipeline holds the marker (a $switch without a default). */
    public static boolean holdsMarker(Object value) {
        if (value instanceof Document d) {
            return d.values().stream().anyMatch(PipelineRewrite::holdsMarker);
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(PipelineRewrite::holdsMarker);
        }
        return NO_BRANCH.equals(value);
    }

    /** Fails with mongod's 40066 if a {@code $switch} without a default met an input none of its branches took. */
    public static void checkNoMarker(Object value) {
        if (NO_BRANCH.equals(value)) {
            throw location(40066, "$switch could not find a matching branch for an input, and no default was specified.");
        }
        if (value instanceof Document d) {
            d.values().forEach(PipelineRewrite::checkNoMarker);
        } else if (value instanceof List<?> list) {
            list.forEach(PipelineRewrite::checkNoMarker);
        }
    }
}
