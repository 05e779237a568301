package io.shardstore.router.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.UnaryOperator;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

/**
 * Widens a find projection so the shards return the fields the router needs (sort keys, shard-key
 * fields for orphan filtering), and strips those fields again before documents reach the client.
 */
public record Projection(BsonDocument forShards, UnaryOperator<BsonDocument> strip) {

    public static Projection widen(BsonDocument projection, Collection<String> needed) {
        if (projection == null || projection.isEmpty()) {
            return new Projection(projection, UnaryOperator.identity());
        }
        boolean inclusion = false;
        for (var e : projection.entrySet()) {
            if (!e.getKey().equals("_id") && truthy(e.getValue())) {
                inclusion = true;
            }
        }
        BsonDocument widened = Docs.copy(projection);
        List<String> added = new ArrayList<>();
        for (String field : needed) {
            if (inclusion) {
                if (!covered(projection, field)) {
                    widened.put(field, new BsonInt32(1));
                    added.add(field);
                }
            } else if (projection.containsKey(field) && !truthy(projection.get(field))) {
                widened.remove(field);
                added.add(field);
            }
        }
        if (added.isEmpty()) {
            return new Projection(projection, UnaryOperator.identity());
        }
        return new Projection(widened, doc -> {
            BsonDocument copy = Docs.copy(doc);
            added.forEach(f -> removePath(copy, f));
            return copy;
        });
    }

    private static boolean covered(BsonDocument projection, String field) {
        for (String k : projection.keySet()) {
            if ((k.equals(field) || field.startsWith(k + ".")) && truthy(projection.get(k))) {
                return true;
            }
        }
        return field.equals("_id") && !projection.containsKey("_id");
    }

    private static void removePath(BsonDocument doc, String path) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            doc.remove(path);
            return;
        }
        BsonValue inner = doc.get(path.substring(0, dot));
        if (inner != null && inner.isDocument()) {
            removePath(inner.asDocument(), path.substring(dot + 1));
            if (inner.asDocument().isEmpty()) {
                doc.remove(path.substring(0, dot));
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
