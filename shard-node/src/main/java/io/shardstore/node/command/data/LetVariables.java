package io.shardstore.node.command.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * A command's {@code let} (find, aggregate, update, delete, findAndModify; MongoDB 5.0+): each variable is bound once
 * for the whole command, and {@code $$name} (or {@code $$name.path}) in an aggregation expression stands for it. The
 * engine knows no user variables, so they are bound here before it runs: each reference is replaced by the value as
 * a {@code $literal} (a constant), or by the expression itself when the variable's value is an expression.
 *
 * References are replaced only where expressions are read: inside {@code $expr} of a filter, and in every pipeline
 * stage but {@code $match} (where, as in a filter, only {@code $expr} holds expressions); a string "$$x" elsewhere in
 * a filter is a plain string to compare, as in mongod.
 */
final class LetVariables {
    private final Document let;

    private LetVariables(Document let) {
        this.let = let;
    }

    /** The variables of {@code body.let}, or null when it has none; the field is checked as mongod checks it. */
    static LetVariables of(Document body) {
        Object let = body.get("let");
        if (let == null) {
            return null;
        }
        if (!(let instanceof Document d)) {
            throw Errors.typeMismatch("BSON field 'let' is the wrong type '" + Errors.typeName(let) + "', expected type 'object'");
        }
        for (String name : d.keySet()) {
            if (name.isEmpty() || !Character.isLowerCase(name.charAt(0)) && !(name.charAt(0) > 127)
                || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c > 127)) {
                throw Errors.of(ErrorCode.FailedToParse, "'" + name + "' starts with an invalid character for a user variable name");
            }
        }
        return new LetVariables(d);
    }

    /** A filter with its {@code $expr} parts bound. */
    Object bindFilter(Object filter) {
        if (filter instanceof Document d) {
            Document out = new Document();
            for (Map.Entry<String, Object> e : d.entrySet()) {
                Object v = e.getValue();
                if (e.getKey().equals("$expr")) {
                    out.put("$expr", bindExpression(v));
                } else if (e.getKey().equals("$and") || e.getKey().equals("$or") || e.getKey().equals("$nor")) {
                    out.put(e.getKey(), v instanceof List<?> list ? list.stream().map(this::bindFilter).toList() : v);
                } else {
                    out.put(e.getKey(), v);
                }
            }
            return out;
        }
        return filter;
    }

    /** A pipeline with every stage's expressions bound ({@code $match}: its filter's {@code $expr} only). */
    Object bindPipeline(Object pipeline) {
        if (!(pipeline instanceof List<?> stages)) {
            return pipeline;
        }
        List<Object> out = new ArrayList<>();
        for (Object stage : stages) {
            if (stage instanceof Document d && d.size() == 1 && d.containsKey("$match")) {
                out.add(new Document("$match", bindFilter(d.get("$match"))));
            } else {
                out.add(bindExpression(stage));
            }
        }
        return out;
    }

    /** An expression (or a document or list holding expressions) with every reference to a variable replaced. */
    Object bindExpression(Object value) {
        if (value instanceof String s && s.startsWith("$$")) {
            return reference(s);
        }
        if (value instanceof Document d) {
            if (d.size() == 1 && d.containsKey("$literal")) {
                return d; // a literal's "$$x" is text
            }
            Document out = new Document();
            d.forEach((k, v) -> out.put(k, bindExpression(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                out.add(bindExpression(o));
            }
            return out;
        }
        return value;
    }

    private Object reference(String text) {
        String path = text.substring(2);
        int dot = path.indexOf('.');
        String name = dot < 0 ? path : path.substring(0, dot);
        if (!let.containsKey(name)) {
            return text; // a system variable ($$NOW, $$ROOT...) or one bound by $let / $filter / $map: the engine's
        }
        Object value = let.get(name);
        if (dot >= 0) {
            for (String part : path.substring(dot + 1).split("\\.")) {
                value = value instanceof Document d ? d.get(part) : null;
            }
            return value == null ? new Document("$literal", null) : new Document("$literal", value);
        }
        if (value instanceof String s && s.startsWith("$$")) {
            return s; // bound to a system variable ($$NOW...)
        }
        return isExpression(value) ? value : new Document("$literal", value);
    }

    /** A variable's value that is itself an expression ("$field" is not: let is evaluated before any document). */
    private static boolean isExpression(Object value) {
        return value instanceof Document d && !d.isEmpty() && d.keySet().iterator().next().startsWith("$")
            && !d.containsKey("$literal");
    }
}
