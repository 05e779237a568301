package io.shardstore.router.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

/**
 * Widens a find projection so the shards return the fields the router needs (sort keys, shard-key
 * fields for orphan filtering), and strips those fields again before documents reach the client, so
 * that the client sees what the projection alone would have given it.
 */
public record Projection(BsonDocument forShards, UnaryOperator<BsonDocument> strip) {

    public static Projection widen(BsonDocument projection, Collection<String> needed) {
        if (projection == null || projection.isEmpty()) {
            return new Projection(projection, UnaryOperator.identity());
        }
        boolean inclusion = isInclusion(projection);
        BsonDocument widened = Docs.copy(projection);
        List<String> added = new ArrayList<>();
        for (String field : needed) {
            if (inclusion) {
                if (!covered(projection, field)) {
                    widened.put(field, new BsonInt32(1));
                    added.add(field);
                }
                continue;
            }
            // Excluding the field, a document that holds it, or a part of it hides (part of) its value from the
            // merge: the shards send it, the router removes the excluded path afterwards.
            for (String excluded : projection.keySet()) {
                if (widened.containsKey(excluded) && !truthy(projection.get(excluded)) && overlaps(excluded, field)) {
                    widened.remove(excluded);
                    added.add(excluded);
                }
            }
        }
        if (added.isEmpty()) {
            return new Projection(projection, UnaryOperator.identity());
        }
        if (!inclusion && widened.values().stream().allMatch(Projection::truthy)) {
            widened = new BsonDocument(); // no exclusion left: what remains ({_id: 1}) would turn it into an inclusion
        }
        // A document emptied by removing an added field goes too, unless the client's projection keeps something
        // in it (then the client sees it, empty, as a projection alone shows it). An exclusion leaves it empty.
        Predicate<String> dropEmptied = inclusion
            ? parent -> projection.keySet().stream().noneMatch(k -> k.startsWith(parent + ".") && truthy(projection.get(k)))
            : parent -> false;
        return new Projection(widened, doc -> {
            BsonDocument copy = Docs.copy(doc);
            added.forEach(f -> removePath(copy, f, "", dropEmptied));
            return copy;
        });
    }

    /** An inclusion projection keeps a field other than _id, or names only _id and keeps it ({_id: 1} returns just _id). */
    private static boolean isInclusion(BsonDocument projection) {
        boolean onlyId = true;
        for (var e : projection.entrySet()) {
            if (!e.getKey().equals("_id")) {
                onlyId = false;
                if (truthy(e.getValue())) {
                    return true;
                }
            }
        }
        return onlyId && truthy(projection.get("_id"));
    }

    private static boolean overlaps(String a, String b) {
        return a.equals(b) || a.startsWith(b + ".") || b.startsWith(a + ".");
    }

    private static boolean covered(BsonDocument projection, String field) {
        for (String k : projection.keySet()) {
            if ((k.equals(field) || field.startsWith(k + ".")) && truthy(projection.get(k))) {
                return true;
            }
        }
        return field.equals("_id") && !projection.containsKey("_id");
    }

    private static void removePath(BsonDocument doc, String path, String prefix, Predicate<String> dropEmptied) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            doc.remove(path);
            return;
        }
        String head = path.substring(0, dot);
        BsonValue inner = doc.get(head);
        if (inner != null && inner.isDocument()) {
            removePath(inner.asDocument(), path.substring(dot + 1), prefix + head + ".", dropEmptied);
            if (inner.asDocument().isEmpty() && dropEmptied.test(prefix + head)) {
                doc.remove(head);
            }
        }
    }

    private static boolean truthy(BsonValue v) {
        if (v.isBoolean()) {
            return v.asBoolean().getValue();
        }
        if (v.isNumber()) {
            return v.asNumber().doubleValue() != 0;
        }
        return true; // expressions and $slice / $elemMatch keep the field
    }
}
