package io.shardstore.router.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * The shard keys worth scoring for a collection, read off its sampled queries: every field a filter pins by
 * equality (range and hashed), every field a filter bounds by a range (range only: a hashed key cannot serve
 * ranges), and per filter its equality fields followed by its range field (the compound key that targets "this
 * customer's orders since Monday"), most used first. Plus the collection's current key and {@code {_id: "hashed"}},
 * the key MongoDB suggests when nothing else fits.
 */
final class CandidateKeys {
    static final int MAX_CANDIDATES = 12;

    private CandidateKeys() {
    }

    static List<BsonDocument> from(List<BsonDocument> samples, BsonDocument currentKey) {
        Map<String, Integer> equality = new HashMap<>();
        Map<String, Integer> ranges = new HashMap<>();
        Map<List<String>, Integer> compounds = new HashMap<>();
        for (BsonDocument sample : samples) {
            for (BsonDocument filter : filters(sample)) {
                List<String> eq = new ArrayList<>();
                String range = null;
                Map<String, List<BsonValue>> conditions = new LinkedHashMap<>();
                collect(filter, conditions);
                for (Map.Entry<String, List<BsonValue>> e : conditions.entrySet()) {
                    if (e.getValue().stream().anyMatch(CandidateKeys::isEquality)) {
                        eq.add(e.getKey());
                        equality.merge(e.getKey(), 1, Integer::sum);
                    } else if (e.getValue().stream().anyMatch(CandidateKeys::isRange)) {
                        range = range == null ? e.getKey() : range;
                        ranges.merge(e.getKey(), 1, Integer::sum);
                    }
                }
                List<String> compound = new ArrayList<>(eq);
                if (range != null) {
                    compound.add(range);
                }
                if (compound.size() >= 2) {
                    compounds.merge(compound, 1, Integer::sum);
                }
            }
        }
        Set<BsonDocument> out = new LinkedHashSet<>();
        sorted(compounds).forEach(fields -> {
            BsonDocument key = new BsonDocument();
            fields.forEach(f -> key.append(f, new BsonInt32(1)));
            out.add(key);
        });
        for (String f : sorted(equality)) {
            out.add(new BsonDocument(f, new BsonInt32(1)));
            out.add(new BsonDocument(f, new BsonString("hashed")));
        }
        for (String f : sorted(ranges)) {
            out.add(new BsonDocument(f, new BsonInt32(1)));
        }
        if (currentKey != null) {
            out.add(currentKey);
        }
        out.add(new BsonDocument("_id", new BsonString("hashed")));
        List<BsonDocument> list = new ArrayList<>(out);
        return list.size() > MAX_CANDIDATES ? list.subList(0, MAX_CANDIDATES) : list;
    }

    private static <K> List<K> sorted(Map<K, Integer> counts) {
        Map<K, Integer> ordered = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<K, Integer>comparingByValue().reversed()).forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return new ArrayList<>(ordered.keySet());
    }

    /** The filters of a sampled query: a read's filter, each write statement's q, findAndModify's query. */
    static List<BsonDocument> filters(BsonDocument sample) {
        BsonDocument cmd = sample.get("cmd") instanceof BsonDocument d ? d : new BsonDocument();
        List<BsonDocument> out = new ArrayList<>();
        for (String field : new String[] {"filter", "query"}) {
            if (cmd.get(field) instanceof BsonDocument f) {
                out.add(f);
            }
        }
        for (String array : new String[] {"updates", "deletes"}) {
            if (cmd.get(array) instanceof BsonArray statements) {
                for (BsonValue s : statements) {
                    if (s instanceof BsonDocument stmt && stmt.get("q") instanceof BsonDocument q) {
                        out.add(q);
                    }
                }
            }
        }
        return out;
    }

    /** The conditions per field of a filter, its top-level $and clauses included (as drivers write Filters.and). */
    private static void collect(BsonDocument filter, Map<String, List<BsonValue>> into) {
        for (Map.Entry<String, BsonValue> e : filter.entrySet()) {
            if (e.getKey().equals("$and") && e.getValue() instanceof BsonArray clauses) {
                for (BsonValue clause : clauses) {
                    if (clause instanceof BsonDocument d) {
                        collect(d, into);
                    }
                }
            } else if (!e.getKey().startsWith("$")) {
                into.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
            }
        }
    }

    private static boolean isEquality(BsonValue v) {
        if (!(v instanceof BsonDocument d)) {
            return !v.isArray() && !v.isRegularExpression();
        }
        return d.size() == 1 && (d.containsKey("$eq") || d.containsKey("$in"));
    }

    private static boolean isRange(BsonValue v) {
        return v instanceof BsonDocument d && (d.containsKey("$gt") || d.containsKey("$gte") || d.containsKey("$lt") || d.containsKey("$lte"));
    }
}
