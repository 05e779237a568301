package io.shardstore.node.command.data;

import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.PathNotViableException;

/**
 * The document an upsert starts from when nothing matched: the query's equality conditions
 * ({@code field: value}, {@code field: {$eq: value}}, also inside {@code $and} and a one-clause
 * {@code $or}), as mongod builds it. The engine builds one too, but only for its own update paths.
 */
final class UpsertSeed {
    /** mongod's NotSingleValueField: two conditions want to set the same path. */
    private static final int NOT_SINGLE_VALUE_FIELD = 54;

    private UpsertSeed() {
    }

    static Document of(Document query) {
        Document seed = new Document();
        add(seed, query);
        return seed;
    }

    private static void add(Document seed, Document query) {
        for (Map.Entry<String, Object> e : query.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            if (key.equals("$and") && value instanceof List<?> clauses) {
                clauses.forEach(c -> add(seed, (Document) c));
            } else if (key.equals("$or") && value instanceof List<?> clauses && clauses.size() == 1) {
                add(seed, (Document) clauses.get(0));
            } else if (key.startsWith("$")) {
                continue; // $nor, $expr, $where...: no value to take
            } else if (value instanceof Document d && isOperatorExpression(d)) {
                if (d.size() == 1 && d.containsKey("$eq")) {
                    set(seed, key, d.get("$eq"));
                }
            } else if (!(value instanceof BsonRegularExpression)) {
                set(seed, key, value);
            }
        }
    }

    private static boolean isOperatorExpression(Document d) {
        return !d.isEmpty() && d.keySet().iterator().next().startsWith("$");
    }

    private static void set(Document seed, String path, Object value) {
        if (!(Utils.getSubdocumentValue(seed, path) instanceof Missing)) {
            throw new MongoServerError(NOT_SINGLE_VALUE_FIELD, "NotSingleValueField",
                "cannot infer query fields to set, path '" + path + "' is matched twice");
        }
        try {
            Utils.changeSubdocumentValue(seed, path, value);
        } catch (PathNotViableException e) {
            throw new MongoServerError(NOT_SINGLE_VALUE_FIELD, "NotSingleValueField",
                "cannot infer query fields to set, path '" + path + "' is matched twice");
        }
    }
}
