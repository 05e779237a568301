package io.shardstore.node.storage.index;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;

/**
 * The keys a document has in a non-unique index. A key stands for "this document may equal that value
 * on the indexed field(s)", so the extraction errs on the side of more keys: arrays are traversed at every
 * level of the path and flattened at its end, and a numeric path part is tried both as an array position
 * and as a field name. Values are normalized as the engine's equality normalizes them (1, 1L and 1.0 are
 * one key), so that every document the engine's matcher would call equal has the queried key.
 */
final class IndexKeys {
    /** Beyond this many keys (a compound index over arrays) a document is a candidate for every lookup instead. */
    static final int MAX_KEYS_PER_DOCUMENT = 1_000;

    private IndexKeys() {
    }

    static List<String> split(String path) {
        return List.of(path.split("\\.", -1));
    }

    /** The engine's equality normalization of one value. */
    static Object normalize(Object value) {
        return new KeyValue(Collections.singletonList(value)).normalized().get(0);
    }

    /** A value an equality lookup can use: no null (it also matches missing fields), no document, array or regex. */
    static boolean isScalar(Object value) {
        return value != null && !(value instanceof Missing) && !(value instanceof Document)
            && !(value instanceof Collection) && !(value instanceof BsonRegularExpression);
    }

    /**
     * The document's keys: normalized values for a one-field index, lists of them (one per field) for a
     * compound index. Null when there would be more than {@link #MAX_KEYS_PER_DOCUMENT}.
     */
    static Set<Object> of(Document document, List<List<String>> paths) {
        if (paths.size() == 1) {
            Set<Object> values = valuesAt(document, paths.get(0));
            return values.size() > MAX_KEYS_PER_DOCUMENT ? null : values;
        }
        List<List<Object>> tuples = List.of(List.of());
        for (List<String> path : paths) {
            Set<Object> values = valuesAt(document, path);
            if ((long) tuples.size() * values.size() > MAX_KEYS_PER_DOCUMENT) {
                return null;
            }
            tuples = extend(tuples, values);
        }
        return new LinkedHashSet<>(tuples);
    }

    /** Every tuple with every value appended. */
    static List<List<Object>> extend(List<List<Object>> tuples, Collection<Object> values) {
        List<List<Object>> out = new ArrayList<>(tuples.size() * values.size());
        for (List<Object> tuple : tuples) {
            for (Object value : values) {
                List<Object> longer = new ArrayList<>(tuple);
                longer.add(value);
                out.add(longer);
            }
        }
        return out;
    }

    /** Stands for "no entry in key order" (a sparse index's document without any of its fields). */
    static final Object NO_KEY = new Object();

    /**
     * The document's one key in sort order: per field its value (normalized; null where missing or null, as the
     * engine's sort treats both), one value for a one-field index, a list for a compound one. Null when some field
     * holds an array (a multikey document, whose place in sort order depends on the sort's direction).
     */
    static Object sortKey(Document document, List<List<String>> paths) {
        List<Object> key = new ArrayList<>(paths.size());
        for (List<String> path : paths) {
            Object value = document;
            for (String part : path) {
                if (value instanceof Collection) {
                    return null;
                }
                value = value instanceof Document d ? d.getOrMissing(part) : Missing.getInstance();
            }
            if (value instanceof Collection) {
                return null;
            }
            key.add(value == null || value instanceof Missing ? null : normalize(value));
        }
        return paths.size() == 1 ? key.get(0) : key;
    }

    private static Set<Object> valuesAt(Document document, List<String> path) {
        Set<Object> values = new LinkedHashSet<>();
        collect(document, path, 0, values);
        return values;
    }

    private static void collect(Object value, List<String> path, int depth, Set<Object> out) {
        if (value instanceof List<?> list) {
            for (Object element : list) {
                collect(element, path, depth, out);
            }
            if (depth < path.size() && isPosition(path.get(depth))) {
                int position = Integer.parseInt(path.get(depth));
                if (position < list.size()) {
                    collect(list.get(position), path, depth + 1, out);
                }
            }
        } else if (depth == path.size()) {
            if (isScalar(value)) {
                out.add(normalize(value));
            }
        } else if (value instanceof Document d) {
            Object next = d.getOrMissing(path.get(depth));
            if (!(next instanceof Missing)) {
                collect(next, path, depth + 1, out);
            }
        }
    }

    private static boolean isPosition(String part) {
        return !part.isEmpty() && part.length() < 10 && part.chars().allMatch(Character::isDigit);
    }
}
