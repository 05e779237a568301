package io.shardstore.engine;

import java.util.List;
import java.util.Set;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * {@code $getField}, {@code $setField} and {@code $unsetField} (MongoDB 5.0+), which the embedded engine does not know
 * (168), as expressions it does know: the input object as an array of {@code {k, v}} pairs ({@code $objectToArray}),
 * the pair named by the field picked, replaced or dropped, and turned back into an object ({@code $arrayToObject}).
 * Comparing the name as a string is the point of these operators: it reaches fields whose names hold a ".", which a
 * field path cannot name. Names starting with "$" are refused (238): the engine reads every string value starting
 * with "$" as a path, so such a pair's name never compares equal.
 */
final class FieldExpressions {

    private FieldExpressions() {
    }

    static Object rewrite(Document expression) {
        String op = expression.keySet().iterator().next();
        Object spec = expression.get(op);
        return switch (op) {
            case "$getField" -> getField(spec);
            case "$setField" -> setField(spec, false);
            default -> setField(spec, true);
        };
    }

    /** {@code {$getField: "name"}} or {@code {$getField: {field, input}}}: the value, missing when there is none. */
    private static Object getField(Object spec) {
        Object field;
        Object input = "$$ROOT";
        if (spec instanceof Document args && !isLiteral(args)) {
            check("$getField", args, Set.of("field", "input"), Set.of("field"), 3041701, 3041702);
            field = args.get("field");
            if (args.containsKey("input")) {
                input = PipelineRewrite.expression(args.get("input"));
            }
        } else {
            field = spec;
        }
        Object name = name("$getField", field, 5654602);
        Object matching = new Document("$filter", new Document("input", new Document("$objectToArray", input))
            .append("as", "pair").append("cond", new Document("$eq", List.of("$$pair.k", name))));
        return new Document("$arrayElemAt", List.of(new Document("$map", new Document("input", matching).append("as", "pair")
            .append("in", "$$pair.v")), 0));
    }

    /**
     * {@code $setField: {field, input, value}} (the field replaced where it is, or added at the end; a value of
     * {@code $$REMOVE} drops it) and {@code $unsetField: {field, input}} (dropped).
     */
    private static Object setField(Object spec, boolean unset) {
        String op = unset ? "$unsetField" : "$setField";
        if (!(spec instanceof Document args)) {
            throw location(4161101, op + " only supports an object as its argument");
        }
        Set<String> required = unset ? Set.of("field", "input") : Set.of("field", "input", "value");
        check(op, args, required, required, 4161101, 4161102);
        Object name = name(op, args.get("field"), 4161106);
        Object input = PipelineRewrite.expression(args.get("input"));
        Object pairs = new Document("$objectToArray", input);
        Object value = unset ? "$$REMOVE" : args.get("value");
        if ("$$REMOVE".equals(value)) {
            return new Document("$arrayToObject", new Document("$filter", new Document("input", pairs).append("as", "pair")
                .append("cond", new Document("$ne", List.of("$$pair.k", name)))));
        }
        Object pair = new Document("k", name).append("v", PipelineRewrite.expression(value));
        Object present = new Document("$in", List.of(name, new Document("$map", new Document("input", pairs).append("as", "pair")
            .append("in", "$$pair.k"))));
        Object replaced = new Document("$map", new Document("input", pairs).append("as", "pair")
            .append("in", new Document("$cond", List.of(new Document("$eq", List.of("$$pair.k", name)), pair, "$$pair"))));
        // The new pair is made by a $map over one element: the engine does not evaluate documents inside an array literal.
        Object appended = new Document("$concatArrays", List.of(pairs, new Document("$map", new Document("input", List.of(0))
            .append("as", "one").append("in", pair))));
        return new Document("$arrayToObject", new Document("$cond", List.of(present, replaced, appended)));
    }

    private static boolean isLiteral(Document d) {
        return d.size() == 1 && d.containsKey("$literal");
    }

    /** The field name as a literal expression: a string, or a $literal of one (the only ways mongod takes it). */
    private static Object name(String op, Object field, int code) {
        Object name = field instanceof Document d && isLiteral(d) ? d.get("$literal") : field;
        if (!(name instanceof String s)) {
            throw location(code, op + " requires 'field' to evaluate to type String, but got "
                + (field == null ? "missing" : field.getClass().getSimpleName()));
        }
        if (s.startsWith("$") && !(field instanceof Document)) {
            // mongod reads a bare "$x" as a path; a name starting with "$" must come as {$literal: "$x"}.
            throw location(code, op + " requires 'field' to evaluate to a constant, but got a non-constant argument");
        }
        if (s.startsWith("$")) {
            // The engine reads any string value starting with "$" as a field path again, so a pair's name "$x" can never
            // be compared: refused rather than answered as missing.
            throw new MongoServerError(238, "NotImplemented", op + " of a field name starting with '$' (" + s
                + ") is not supported by this server");
        }
        return new Document("$literal", s);
    }

    private static void check(String op, Document args, Set<String> known, Set<String> required, int unknownCode, int missingCode) {
        for (String key : args.keySet()) {
            if (!known.contains(key)) {
                throw location(unknownCode, op + " found an unknown argument: " + key);
            }
        }
        for (String key : required) {
            if (!args.containsKey(key)) {
                throw location(missingCode, op + " requires '" + key + "' to be specified");
            }
        }
    }

    private static MongoServerError location(int code, String message) {
        return new MongoServerError(code, "Location" + code, message);
    }
}
