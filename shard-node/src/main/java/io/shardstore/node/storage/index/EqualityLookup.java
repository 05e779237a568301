package io.shardstore.node.storage.index;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import de.bwaldvogel.mongo.bson.Document;

/**
 * Which keys a query asks for: an equality ({@code f: v}, {@code f: {$eq: v}}) or an {@code $in} of
 * scalars on every indexed field, at the top level or in a top-level {@code $and}. Any document the query
 * matches has one of these keys; the engine still applies the whole query to each candidate, so other
 * conditions (and conditions on other fields) need no index support.
 */
final class EqualityLookup {
    /** Beyond this many keys (a compound $in product) a scan is as good. */
    private static final int MAX_LOOKUP_KEYS = 1_000;

    private EqualityLookup() {
    }

    /** The keys to look up, or null when the query has no usable equality on some indexed field. */
    static Set<Object> keys(Document query, List<String> fields) {
        if (fields.size() == 1) {
            return valuesFor(query, fields.get(0));
        }
        List<List<Object>> tuples = List.of(List.of());
        for (String field : fields) {
            Set<Object> values = valuesFor(query, field);
            if (values == null || (long) tuples.size() * values.size() > MAX_LOOKUP_KEYS) {
                return null;
            }
            tuples = IndexKeys.extend(tuples, values);
        }
        return new LinkedHashSet<>(tuples);
    }

    private static Set<Object> valuesFor(Document query, String field) {
        if (query.containsKey(field)) {
            Set<Object> values = values(query.get(field));
            if (values != null) {
                return values;
            }
        }
        if (query.get("$and") instanceof List<?> clauses) {
            for (Object clause : clauses) {
                if (clause instanceof Document d) {
                    Set<Object> values = valuesFor(d, field);
                    if (values != null) {
                        return values; // every clause must hold, so one equality narrows enough
                    }
                }
            }
        }
        return null;
    }

    private static Set<Object> values(Object condition) {
        if (IndexKeys.isScalar(condition)) {
            return Set.of(IndexKeys.normalize(condition));
        }
        if (!(condition instanceof Document d) || d.isEmpty() || !d.keySet().stream().allMatch(k -> k.startsWith("$"))) {
            return null; // a whole-document equality, or nothing
        }
        if (d.containsKey("$eq") && IndexKeys.isScalar(d.get("$eq"))) {
            return Set.of(IndexKeys.normalize(d.get("$eq")));
        }
        if (d.get("$in") instanceof Collection<?> in && in.size() <= MAX_LOOKUP_KEYS && in.stream().allMatch(IndexKeys::isScalar)) {
            Set<Object> values = new LinkedHashSet<>();
            in.forEach(v -> values.add(IndexKeys.normalize(v)));
            return values;
        }
        return null;
    }
}
