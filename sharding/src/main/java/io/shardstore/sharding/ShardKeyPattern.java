package io.shardstore.sharding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * A collection's shard key, e.g. {@code {customer: 1, order: 1}} or {@code {user: "hashed"}}. It turns a
 * document (or the equality part of a filter) into a key: one value per field in pattern order, a
 * hashed field contributing the hash of its value. Chunk bounds are keys of the same shape.
 */
public final class ShardKeyPattern {
    private final BsonDocument pattern;
    private final List<String> fields;
    private final List<Boolean> hashed;

    public ShardKeyPattern(BsonDocument pattern) {
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("shard key pattern is empty");
        }
        this.pattern = pattern;
        this.fields = new ArrayList<>(pattern.keySet());
        this.hashed = new ArrayList<>();
        for (Map.Entry<String, BsonValue> e : pattern.entrySet()) {
            BsonValue v = e.getValue();
            boolean isHashed = v.isString() && v.asString().getValue().equals("hashed");
            if (!isHashed && !(v.isNumber() && v.asNumber().doubleValue() == 1.0)) {
                throw new IllegalArgumentException("Unsupported shard key pattern. Pattern must either be a single hashed field, "
                    + "or a list of ascending fields: " + pattern.toJson());
            }
            hashed.add(isHashed);
        }
        if (hashed.stream().filter(h -> h).count() > 1) {
            throw new IllegalArgumentException("a shard key may have at most one hashed field: " + pattern.toJson());
        }
    }

    public BsonDocument pattern() {
        return pattern;
    }

    /**
     * Whether an index (its spec, as listIndexes gives it) can serve this shard key, as mongod judges it: its key starts
     * with the shard key's fields, a hashed field hashed and a range field ascending, and it is neither sparse nor
     * partial nor of another collation. Shard collection builds the key's index unless one serves it; dropIndexes keeps
     * the last one that does.
     */
    public boolean isServedBy(BsonDocument index) {
        BsonValue sparse = index.get("sparse");
        if ((sparse != null && sparse.isBoolean() && sparse.asBoolean().getValue()) || index.containsKey("partialFilterExpression")
            || index.containsKey("collation") || !index.isDocument("key")) {
            return false;
        }
        var have = index.getDocument("key").entrySet().iterator();
        for (Map.Entry<String, BsonValue> wanted : pattern.entrySet()) {
            if (!have.hasNext()) {
                return false;
            }
            Map.Entry<String, BsonValue> field = have.next();
            if (!field.getKey().equals(wanted.getKey())) {
                return false;
            }
            BsonValue direction = field.getValue();
            boolean served = wanted.getValue().isString() ? direction.equals(wanted.getValue())
                : direction.isNumber() && direction.asNumber().doubleValue() > 0;
            if (!served) {
                return false;
            }
        }
        return true;
    }

    public List<String> fields() {
        return fields;
    }

    public boolean isHashed() {
        return hashed.contains(true);
    }

    public boolean isHashed(int i) {
        return hashed.get(i);
    }

    /** The smallest key: MinKey in every field. */
    public BsonDocument globalMin() {
        BsonDocument d = new BsonDocument();
        fields.forEach(f -> d.append(f, new BsonMinKey()));
        return d;
    }

    public BsonDocument globalMax() {
        BsonDocument d = new BsonDocument();
        fields.forEach(f -> d.append(f, new BsonMaxKey()));
        return d;
    }

    /** The field values at the shard-key paths of a document; a missing field has no entry. */
    public List<BsonValue> valuesOf(BsonDocument doc) {
        List<BsonValue> values = new ArrayList<>(fields.size());
        for (String f : fields) {
            values.add(valueAt(doc, f));
        }
        return values;
    }

    /** The first shard-key field missing from {@code doc}, or null when all are there. */
    public String firstMissingField(BsonDocument doc) {
        for (String f : fields) {
            if (valueAt(doc, f) == null) {
                return f;
            }
        }
        return null;
    }

    /** The key of a document that holds every shard-key field. */
    public BsonDocument keyOf(BsonDocument doc) {
        return keyOfValues(valuesOf(doc));
    }

    public BsonDocument keyOfValues(List<BsonValue> values) {
        BsonDocument key = new BsonDocument();
        for (int i = 0; i < fields.size(); i++) {
            BsonValue v = values.get(i);
            key.append(fields.get(i), hashed.get(i) ? new BsonInt64(HashedKeys.hash(v)) : v);
        }
        return key;
    }

    /** Reads a dotted path; null when absent (an explicit null value is a value). */
    public static BsonValue valueAt(BsonDocument doc, String path) {
        BsonValue current = doc;
        for (String part : path.split("\\.")) {
            if (current == null || !current.isDocument()) {
                return null;
            }
            current = current.asDocument().get(part);
        }
        return current;
    }

    /** Whether {@code path} is a shard-key field, or lies inside one, or holds one. */
    public boolean touches(String path) {
        for (String f : fields) {
            if (f.equals(path) || within(f, path) || within(path, f)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code path} lies inside {@code outer} ("a.b" inside "a"), without building "outer." for each check. */
    private static boolean within(String path, String outer) {
        return path.length() > outer.length() && path.charAt(outer.length()) == '.' && path.startsWith(outer);
    }

    @Override
    public String toString() {
        return pattern.toJson();
    }

    public static ShardKeyPattern hashedOn(String field) {
        return new ShardKeyPattern(new BsonDocument(field, new BsonString("hashed")));
    }
}
