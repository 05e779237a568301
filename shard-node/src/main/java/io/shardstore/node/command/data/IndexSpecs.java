package io.shardstore.node.command.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import de.bwaldvogel.mongo.bson.Document;

/** Compares index specs the way mongod's index catalog does when it decides whether two indexes conflict. */
final class IndexSpecs {
    /** Fields that are not options: compared separately, or not compared at all (as in mongod). */
    private static final Set<String> NOT_OPTIONS = Set.of("key", "name", "v", "ns", "background", "hidden", "unique",
        "partialFilterExpression", "collation");

    private IndexSpecs() {
    }

    static boolean isIdIndex(Object keyOrName) {
        return "_id_".equals(keyOrName) || (keyOrName instanceof Document key && key.size() == 1
            && key.get("_id") instanceof Number n && n.doubleValue() == 1);
    }

    /** Same key pattern: same fields in the same order, same directions or types. */
    static boolean sameKey(Object a, Object b) {
        return sameValue(a, b);
    }

    /** Same key pattern and same identifying options: then they are the same index. */
    static boolean sameIdentity(Document a, Document b) {
        return sameKey(a.get("key"), b.get("key")) && truthy(a.get("unique")) == truthy(b.get("unique"))
            && sameValue(a.get("partialFilterExpression"), b.get("partialFilterExpression"))
            && sameValue(a.get("collation"), b.get("collation"));
    }

    /** Same non-identifying options (sparse, expireAfterSeconds...). */
    static boolean sameOptions(Document a, Document b) {
        return options(a).equals(options(b));
    }

    private static List<Object> options(Document spec) {
        List<Object> out = new ArrayList<>();
        spec.entrySet().stream().filter(e -> !NOT_OPTIONS.contains(e.getKey()))
            .sorted(Map.Entry.comparingByKey())
            .forEach(e -> out.add(List.of(e.getKey(), normalized(e.getValue()))));
        return out;
    }

    private static boolean sameValue(Object a, Object b) {
        return Objects.equals(normalized(a), normalized(b));
    }

    /** Documents as ordered lists of fields, numbers by value, so equality is mongod's BSON equality. */
    private static Object normalized(Object value) {
        if (value instanceof Document d) {
            List<Object> fields = new ArrayList<>();
            d.forEach((k, v) -> fields.add(List.of(k, normalized(v))));
            return fields;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(IndexSpecs::normalized).toList();
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        return value == null ? List.of() : value;
    }

    static boolean truthy(Object v) {
        return v instanceof Boolean b ? b : v instanceof Number n && n.doubleValue() != 0;
    }
}
