package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import com.mongodb.MongoException;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CountOptions;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.node.NodeOptions;
import io.shardstore.node.ShardNode;

/**
 * Differential test of the router: the same generated documents live in one collection of a single,
 * unsharded shard node (the reference) and in two sharded collections behind the router of a 3-shard
 * cluster, one on a hashed key ({@code hk}) and one on a range key ({@code k}, pre-split and spread by
 * moveChunk). Seeded random finds (filters, sorts, skip, limit, small batches through router cursors,
 * projections), counts, distincts and aggregations run against all three and must give the same results.
 *
 * <p>The seed is {@code -Ddiff.seed} (default {@value #DEFAULT_SEED}); every failure names it, with the
 * query's index and text, so a failure can be replayed. Results are compared in order where the query fixes
 * the order (sorts always end in {@code _id}, which is unique before an $unwind), as multisets elsewhere;
 * doubles computed by aggregation (sums and averages added up in another order over the shards) may differ in
 * their last bits.
 *
 * <p>Layout of {@code diff.range} ({@code {k: 1}}): [MinKey, 200) shard0, [200, 400) shard1, [400, 600) shard2,
 * [600, 800) shard1, [800, "k5") shard2, ["k5", MaxKey) shard1, the last two moved with data in them. The balancer is
 * stopped. The generator stays clear of three things the shard nodes' engine (mongo-java-server) gets wrong on its
 * own, sharded or not: sorting on a field holding empty arrays, the {@code {$count: {}}} accumulator, and
 * {@code _id: 1} in an exclusion projection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The conformance executions of this module re-run every selected test against their own target; this test
// builds its own cluster, so it runs once, in the default execution.
@DisabledIfSystemProperty(named = "conformance.target", matches = "cluster.*")
class RouterDifferentialTest {
    static final long DEFAULT_SEED = 20_261_126L;
    static final int DOCS = 2_000;
    static final String DB = "diff";
    static final String[] WORDS = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "Iota", "kappa", ""};

    final long seed = Long.getLong("diff.seed", DEFAULT_SEED);
    LocalCluster cluster;
    ShardNode single;
    MongoClient router;
    MongoClient reference;
    MongoCollection<BsonDocument> expected;
    Map<String, MongoCollection<BsonDocument>> sharded = new LinkedHashMap<>();
    MongoDatabase routerDb;
    MongoDatabase referenceDb;
    /** Values that occur at each queried path (array elements included), to draw filter values from. */
    final Map<String, List<BsonValue>> samples = new LinkedHashMap<>();

    @BeforeAll
    void start() throws Exception {
        cluster = io.shardstore.testkit.Topology.start(3);
        single = ShardNode.start(NodeOptions.inMemory(0));
        router = MongoClients.create(cluster.uri());
        reference = MongoClients.create("mongodb://127.0.0.1:" + single.port() + "/?directConnection=true");
        referenceDb = reference.getDatabase(DB);
        routerDb = router.getDatabase(DB);
        expected = referenceDb.getCollection("docs", BsonDocument.class);

        MongoDatabase admin = router.getDatabase("admin");
        // The layout below stays as it is for the whole run (a failure must replay from the seed alone).
        admin.runCommand(new Document("balancerStop", 1));
        admin.runCommand(new Document("enableSharding", DB).append("primaryShard", "shard0"));
        // Hashed: an empty collection starts with two chunks per shard.
        admin.runCommand(new Document("shardCollection", DB + ".hashed").append("key", new Document("hk", "hashed")));
        // Range: pre-split over numbers and strings, chunks moved before (and one after) the load.
        admin.runCommand(new Document("shardCollection", DB + ".range").append("key", new Document("k", 1)));
        for (Object at : List.of(200, 400, 600, 800, "k5")) {
            admin.runCommand(new Document("split", DB + ".range").append("middle", new Document("k", at)));
        }
        move(admin, 200, "shard1");
        move(admin, 400, "shard2");
        move(admin, 800, "shard2");
        sharded.put("hashed", routerDb.getCollection("hashed", BsonDocument.class));
        sharded.put("range", routerDb.getCollection("range", BsonDocument.class));

        List<BsonDocument> docs = generate(new Random(seed));
        expected.insertMany(docs);
        for (MongoCollection<BsonDocument> c : sharded.values()) {
            // Unordered: one batch per shard (an ordered insert is cut into a batch per run of documents for one shard).
            c.insertMany(docs, new com.mongodb.client.model.InsertManyOptions().ordered(false));
        }
        // A migration with data in it: [600, 800) and the strings from "k5" on leave shard0.
        move(admin, 600, "shard1");
        move(admin, "k5", "shard1");
    }

    private static void move(MongoDatabase admin, Object k, String to) {
        admin.runCommand(new Document("moveChunk", DB + ".range").append("find", new Document("k", k)).append("to", to));
    }

    @AfterAll
    void stop() {
        if (router != null) {
            router.close();
        }
        if (reference != null) {
            reference.close();
        }
        io.shardstore.testkit.Topology.checkAndClose(cluster);
        if (single != null) {
            single.close();
        }
    }

    // ---------------------------------------------------------------- data

    private List<BsonDocument> generate(Random r) {
        List<BsonDocument> docs = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            BsonDocument d = new BsonDocument("_id", new BsonInt32(i));
            double p = r.nextDouble();
            d.put("hk", p < 0.8 ? new BsonInt32(r.nextInt(500)) : p < 0.9 ? new BsonString("h" + r.nextInt(50))
                : new BsonDouble(r.nextInt(500) + 0.5));
            p = r.nextDouble();
            d.put("k", p < 0.65 ? new BsonInt32(r.nextInt(1000)) : p < 0.75 ? new BsonDouble(r.nextInt(1000) + 0.25)
                : p < 0.8 ? new BsonInt64(r.nextInt(1000)) : p < 0.95 ? new BsonString("k" + r.nextInt(100)) : BsonNull.VALUE);
            p = r.nextDouble();
            if (p < 0.8) {
                d.put("a", new BsonInt32(r.nextInt(20)));
            } else if (p < 0.85) {
                d.put("a", new BsonInt64(r.nextInt(20)));
            } else if (p < 0.9) {
                d.put("a", BsonNull.VALUE);
            }
            p = r.nextDouble();
            if (p < 0.8) {
                d.put("b", new BsonDouble(r.nextInt(10_000) / 100.0));
            } else if (p < 0.9) {
                d.put("b", new BsonInt32(r.nextInt(100)));
            }
            if (r.nextDouble() < 0.85) {
                d.put("s", new BsonString(WORDS[r.nextInt(WORDS.length)]));
            }
            p = r.nextDouble();
            if (p < 0.7) {
                BsonDocument n = new BsonDocument();
                if (r.nextDouble() < 0.9) {
                    n.put("x", new BsonInt32(r.nextInt(10)));
                }
                n.put("y", new BsonString(WORDS[r.nextInt(WORDS.length)]));
                d.put("n", n);
            } else if (p < 0.8) {
                d.put("n", new BsonDocument("x", BsonNull.VALUE));
            }
            p = r.nextDouble();
            if (p < 0.75) {
                BsonArray tags = new BsonArray();
                for (int t = r.nextInt(5); t > 0; t--) {
                    tags.add(new BsonString(WORDS[r.nextInt(WORDS.length - 1)]));
                }
                d.put("tags", tags);
            } else if (p < 0.85) {
                d.put("tags", new BsonString(WORDS[r.nextInt(WORDS.length - 1)]));
            }
            if (r.nextDouble() < 0.6) {
                BsonArray nums = new BsonArray();
                for (int t = 1 + r.nextInt(5); t > 0; t--) {
                    nums.add(new BsonInt32(r.nextInt(30)));
                }
                d.put("nums", nums);
            }
            if (r.nextDouble() < 0.9) {
                d.put("flag", BsonBoolean.valueOf(r.nextBoolean()));
            }
            switch (r.nextInt(9)) {
                case 0 -> d.put("mixed", new BsonInt32(r.nextInt(10)));
                case 1 -> d.put("mixed", new BsonDouble(r.nextInt(100) / 10.0));
                case 2 -> d.put("mixed", new BsonString(WORDS[r.nextInt(WORDS.length)]));
                case 3 -> d.put("mixed", BsonNull.VALUE);
                case 4 -> d.put("mixed", new BsonDocument("m", new BsonInt32(r.nextInt(5))));
                case 5 -> d.put("mixed", new BsonArray(List.of(new BsonInt32(r.nextInt(10)), new BsonInt32(r.nextInt(10)))));
                case 6 -> d.put("mixed", BsonBoolean.valueOf(r.nextBoolean()));
                case 7 -> d.put("mixed", new BsonDateTime(1_700_000_000_000L + r.nextInt(1_000_000) * 1000L));
                default -> {
                }
            }
            docs.add(d);
            for (String path : FILTER_FIELDS) {
                BsonValue v = valueAt(d, path);
                if (v != null) {
                    List<BsonValue> list = samples.computeIfAbsent(path, p2 -> new ArrayList<>());
                    if (v.isArray()) {
                        list.addAll(v.asArray());
                    }
                    list.add(v);
                }
            }
        }
        return docs;
    }

    private static BsonValue valueAt(BsonDocument doc, String path) {
        BsonValue current = doc;
        for (String part : path.split("\\.")) {
            if (!current.isDocument()) {
                return null;
            }
            current = current.asDocument().get(part);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    @Test
    void everyShardHoldsDocumentsOfBothCollections() {
        assertEquals(DOCS, expected.countDocuments());
        for (String coll : sharded.keySet()) {
            long total = 0;
            for (int i = 0; i < 3; i++) {
                try (MongoClient shard = MongoClients.create(cluster.shardUri(i))) {
                    long n = shard.getDatabase(DB).getCollection(coll).countDocuments();
                    assertTrue(n > 100, coll + ": shard" + i + " holds only " + n + " documents (seed " + seed + ")");
                    total += n;
                }
            }
            // No document is lost or duplicated (no orphans left behind by the migrations).
            assertEquals(DOCS, total, coll + ": documents over all shards (seed " + seed + ")");
            assertEquals(DOCS, sharded.get(coll).countDocuments(), coll + " through the router (seed " + seed + ")");
        }
    }

    // ---------------------------------------------------------------- queries

    static final String[] FILTER_FIELDS = {"_id", "hk", "k", "a", "b", "s", "n.x", "n.y", "n", "tags", "nums", "flag", "mixed"};
    // Not "tags": it holds empty arrays, and the shard nodes' engine (mongo-java-server 1.46) orders two empty
    // arrays as less than each other, so a sort on it has no defined order, on a single node or merged.
    static final String[] SORT_FIELDS = {"k", "hk", "a", "b", "s", "n.x", "flag", "mixed", "nums", "_id"};
    static final String[] PROJECT_FIELDS = {"hk", "k", "a", "b", "s", "n", "n.x", "n.y", "tags", "nums", "flag", "mixed"};

    /** The outcome of one query: its results (documents or values), or the error code it failed with. */
    record Outcome(List<BsonValue> results, Integer errorCode, String error) {
        static Outcome of(java.util.concurrent.Callable<List<BsonValue>> query) {
            try {
                return new Outcome(query.call(), null, null);
            } catch (MongoException e) {
                return new Outcome(null, e.getCode(), e.getMessage());
            } catch (Exception e) {
                return new Outcome(null, -1, e.toString());
            }
        }

        @Override
        public String toString() {
            if (results == null) {
                return "error " + errorCode + ": " + error;
            }
            String s = new BsonArray(results).toString();
            return results.size() + " results " + (s.length() > 600 ? s.substring(0, 600) + "..." : s);
        }
    }

    /** One generated query: its text (for messages), whether its result order is defined, and how to run it. */
    record Query(String text, boolean ordered, boolean computed, Function<MongoCollection<BsonDocument>, List<BsonValue>> run) {
    }

    private static final int MAX_REPORTED = 8;
    private final List<String> mismatches = new ArrayList<>();
    private int compared;
    private long routerNanos;

    private void check(String kind, int index, Query q, Outcome want) {
        for (Map.Entry<String, MongoCollection<BsonDocument>> e : sharded.entrySet()) {
            long start = System.nanoTime();
            Outcome got = Outcome.of(() -> q.run().apply(e.getValue()));
            routerNanos += System.nanoTime() - start;
            compared++;
            String why = difference(want, got, q.ordered(), q.computed());
            if (why != null && mismatches.size() < MAX_REPORTED) {
                mismatches.add(kind + " #" + index + " on " + e.getKey() + " (seed " + seed + "): " + why + "\n  query: " + q.text()
                    + "\n  single node: " + want + "\n  router:      " + got);
            }
        }
    }

    private void runAll(String kind, int count, Function<Random, Query> generator) {
        mismatches.clear();
        compared = 0;
        routerNanos = 0;
        long singleNanos = 0;
        long results = 0;
        int errors = 0;
        int empty = 0;
        for (int i = 0; i < count; i++) {
            // One Random per query, so a failing query can be replayed alone from (seed, kind, index). Its seed is
            // scrambled: java.util.Random's first draws from neighbouring seeds are nearly equal.
            Query q = generator.apply(new Random(mix(mix(seed + kind.hashCode()) + i)));
            long start = System.nanoTime();
            Outcome want = Outcome.of(() -> q.run().apply(expected));
            singleNanos += System.nanoTime() - start;
            results += want.results() == null ? 0 : want.results().size();
            errors += want.results() == null ? 1 : 0;
            empty += want.results() != null && want.results().isEmpty() ? 1 : 0;
            check(kind, i, q, want);
        }
        System.out.printf("%s: %d queries (seed %d), %d results on the single node, %d errors; %d ms on the single node, %d ms through the router%n",
            kind, count, seed, results, errors, singleNanos / 1_000_000, routerNanos / 1_000_000);
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + (mismatches.size() == MAX_REPORTED ? "+" : "") + " of " + compared + " " + kind
                + " results differ between the router and a single node (seed " + seed + "):\n" + String.join("\n", mismatches));
        }
        // The generator must mostly produce queries that work and find something, or the comparison proves little.
        assertTrue(errors < count / 10, kind + ": " + errors + " of " + count + " queries failed on the single node (seed " + seed + ")");
        assertTrue(empty < count / 2, kind + ": " + empty + " of " + count + " queries found nothing (seed " + seed + ")");
    }

    /** SplitMix64's finalizer: neighbouring inputs give unrelated outputs. */
    static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return x ^ (x >>> 31);
    }

    @Test
    void randomFinds() {
        runAll("find", 520, this::find);
    }

    @Test
    void randomCounts() {
        runAll("count", 150, this::count);
    }

    @Test
    void randomDistincts() {
        runAll("distinct", 130, this::distinct);
    }

    @Test
    void randomAggregations() {
        runAll("aggregate", 200, this::aggregate);
    }

    private Query find(Random r) {
        BsonDocument filter = query(r);
        BsonDocument sort = r.nextDouble() < 0.65 ? sort(r, null) : null;
        Integer skip = sort != null && r.nextDouble() < 0.35 ? r.nextInt(60) : null;
        // Now and then a negative limit: one batch, no cursor.
        Integer limit = sort != null && r.nextDouble() < 0.6 ? (1 + r.nextInt(80)) * (r.nextDouble() < 0.15 ? -1 : 1) : null;
        Integer batch = batchSize(r, limit != null);
        BsonDocument projection = r.nextDouble() < 0.4 ? projection(r) : null;
        String text = "find " + filter.toJson() + (sort != null ? " sort " + sort.toJson() : "") + (skip != null ? " skip " + skip : "")
            + (limit != null ? " limit " + limit : "") + (batch != null ? " batchSize " + batch : "")
            + (projection != null ? " projection " + projection.toJson() : "");
        return new Query(text, sort != null, false, c -> {
            FindIterable<BsonDocument> it = c.find(filter);
            if (sort != null) {
                it = it.sort(sort);
            }
            if (skip != null) {
                it = it.skip(skip);
            }
            if (limit != null) {
                it = it.limit(limit);
            }
            if (batch != null) {
                it = it.batchSize(batch);
            }
            if (projection != null) {
                it = it.projection(projection);
            }
            return it.into(new ArrayList<BsonValue>());
        });
    }

    private Query count(Random r) {
        BsonDocument filter = filter(r, 0);
        Integer skip = r.nextDouble() < 0.4 ? r.nextInt(300) : null;
        Integer limit = r.nextDouble() < 0.4 ? 1 + r.nextInt(300) : null;
        boolean command = r.nextBoolean();
        String text = (command ? "count command " : "countDocuments ") + filter.toJson() + (skip != null ? " skip " + skip : "")
            + (limit != null ? " limit " + limit : "");
        return new Query(text, true, false, c -> {
            long n;
            if (command) {
                // The count command itself (the driver's countDocuments is an aggregation).
                BsonDocument cmd = new BsonDocument("count", new BsonString(c.getNamespace().getCollectionName())).append("query", filter);
                if (skip != null) {
                    cmd.append("skip", new BsonInt32(skip));
                }
                if (limit != null) {
                    cmd.append("limit", new BsonInt32(limit));
                }
                BsonDocument reply = (c == expected ? referenceDb : routerDb).runCommand(cmd, BsonDocument.class);
                n = reply.getNumber("n").longValue();
            } else {
                CountOptions options = new CountOptions();
                if (skip != null) {
                    options.skip(skip);
                }
                if (limit != null) {
                    options.limit(limit);
                }
                n = c.countDocuments(filter, options);
            }
            return List.of(new BsonInt64(n));
        });
    }

    private Query distinct(Random r) {
        String field = pick(r, new String[] {"a", "s", "n.x", "n.y", "tags", "nums", "k", "hk", "mixed", "b", "flag"});
        BsonDocument filter = r.nextDouble() < 0.7 ? filter(r, 0) : new BsonDocument();
        // Distinct values that compare equal (7 and 7.0) are one value; which of them is returned is arbitrary.
        return new Query("distinct " + field + " " + filter.toJson(), false, true, c -> {
            List<BsonValue> values = new ArrayList<>();
            // The driver decodes a null value as Java null.
            c.distinct(field, filter, BsonValue.class).forEach(v -> values.add(v == null ? BsonNull.VALUE : v));
            return values;
        });
    }

    private Query aggregate(Random r) {
        List<BsonDocument> p = new ArrayList<>();
        int shape = r.nextInt(7);
        // Pipelines that return documents rather than groups always start with a (mostly selective) $match.
        boolean grouping = shape == 0 || shape == 1 || shape == 4 || shape == 5;
        if (!grouping || r.nextDouble() < 0.6) {
            p.add(new BsonDocument("$match", query(r)));
        }
        String unwound = null;
        if (r.nextDouble() < 0.25) {
            unwound = r.nextBoolean() ? "tags" : "nums";
            p.add(new BsonDocument("$unwind", new BsonString("$" + unwound)));
        }
        boolean ordered = false;
        switch (shape) {
            case 0, 1 -> {
                BsonDocument group = group(r, unwound);
                p.add(new BsonDocument("$group", group));
                if (r.nextDouble() < 0.6) {
                    // The group _id is unique, so a sort ending in _id is total.
                    List<String> fields = new ArrayList<>(group.keySet());
                    BsonDocument sort = new BsonDocument(pick(r, fields.toArray(String[]::new)), new BsonInt32(r.nextBoolean() ? 1 : -1));
                    sort.putIfAbsent("_id", new BsonInt32(1));
                    p.add(new BsonDocument("$sort", sort));
                    page(r, p);
                    ordered = true;
                }
            }
            case 2 -> {
                BsonDocument sort = sort(r, unwound);
                p.add(new BsonDocument("$sort", sort));
                page(r, p);
                if (r.nextBoolean()) {
                    p.add(new BsonDocument("$project", projection(r)));
                }
                ordered = true;
            }
            case 3 -> {
                if (r.nextBoolean()) {
                    p.add(new BsonDocument("$project", projection(r)));
                } else {
                    p.add(new BsonDocument("$project", new BsonDocument("k", new BsonInt32(1))
                        .append("twice", new BsonDocument("$multiply", new BsonArray(List.of(new BsonString("$a"), new BsonInt32(2)))))
                        .append("sx", new BsonDocument("$concat", new BsonArray(List.of(new BsonString("$s"), new BsonString("-")))))));
                }
            }
            case 4 -> p.add(new BsonDocument("$count", new BsonString("total")));
            case 5 -> {
                BsonDocument group = group(r, unwound);
                group.put("cnt", new BsonDocument("$sum", new BsonInt32(1)));
                p.add(new BsonDocument("$group", group));
                p.add(new BsonDocument("$match", new BsonDocument("cnt", new BsonDocument("$gt", new BsonInt32(r.nextInt(30))))));
                p.add(new BsonDocument("$sort", new BsonDocument("_id", new BsonInt32(r.nextBoolean() ? 1 : -1))));
                ordered = true;
            }
            default -> {
                // A sorted page first, then a group over it: the page must be cut exactly before grouping.
                p.add(new BsonDocument("$sort", sort(r, unwound)));
                page(r, p);
                p.add(new BsonDocument("$group", group(r, unwound)));
            }
        }
        Integer batch = batchSize(r, p.stream().anyMatch(s -> s.containsKey("$limit") || s.containsKey("$group") || s.containsKey("$count")));
        boolean isOrdered = ordered;
        return new Query("aggregate " + new BsonArray(new ArrayList<BsonValue>(p)).toString() + (batch != null ? " batchSize " + batch : ""),
            isOrdered, true, c -> {
                var it = c.aggregate(p);
                if (batch != null) {
                    it = it.batchSize(batch);
                }
                return it.into(new ArrayList<BsonValue>());
            });
    }

    /**
     * A batch size: small (1 to 7, many getMores through the router's cursors) when the result is small, else
     * 50 to 250 (still several batches over 2,000 documents) or the default.
     */
    private static Integer batchSize(Random r, boolean smallResult) {
        double p = r.nextDouble();
        if (p < 0.3) {
            return null;
        }
        return smallResult && p < 0.8 ? 1 + r.nextInt(7) : 50 + r.nextInt(200);
    }

    private static void page(Random r, List<BsonDocument> p) {
        if (r.nextDouble() < 0.35) {
            p.add(new BsonDocument("$skip", new BsonInt32(r.nextInt(50))));
        }
        if (r.nextDouble() < 0.5) {
            p.add(new BsonDocument("$limit", new BsonInt32(1 + r.nextInt(60))));
        }
    }

    private BsonDocument group(Random r, String unwound) {
        List<BsonValue> ids = new ArrayList<>(List.of(BsonNull.VALUE, new BsonString("$a"), new BsonString("$s"), new BsonString("$n.x"),
            new BsonString("$flag"), new BsonDocument("a", new BsonString("$a")).append("f", new BsonString("$flag"))));
        if (unwound != null) {
            ids.add(new BsonString("$" + unwound));
            ids.add(new BsonString("$" + unwound));
        }
        BsonDocument group = new BsonDocument("_id", ids.get(r.nextInt(ids.size())));
        Map<String, BsonDocument> accs = new LinkedHashMap<>();
        accs.put("cnt", new BsonDocument("$sum", new BsonInt32(1)));
        accs.put("sumB", new BsonDocument("$sum", new BsonString("$b")));
        accs.put("sumA", new BsonDocument("$sum", new BsonString("$a")));
        accs.put("avgB", new BsonDocument("$avg", new BsonString("$b")));
        accs.put("avgA", new BsonDocument("$avg", new BsonString("$a")));
        accs.put("minK", new BsonDocument("$min", new BsonString("$k")));
        accs.put("maxK", new BsonDocument("$max", new BsonString("$k")));
        accs.put("minS", new BsonDocument("$min", new BsonString("$s")));
        accs.put("maxA", new BsonDocument("$max", new BsonString("$a")));
        accs.put("minMixed", new BsonDocument("$min", new BsonString("$mixed")));
        // Not {$count: {}}: the engine does not know that accumulator (MongoDB 5.0+), on a shard or alone.
        List<String> names = new ArrayList<>(accs.keySet());
        for (int n = 1 + r.nextInt(4); n > 0; n--) {
            String name = names.get(r.nextInt(names.size()));
            group.put(name, accs.get(name));
        }
        return group;
    }

    /** A sort on one or two fields, ending in _id (and the unwound field) so that it is total. */
    private BsonDocument sort(Random r, String unwound) {
        BsonDocument sort = new BsonDocument();
        for (int n = 1 + r.nextInt(2); n > 0; n--) {
            sort.put(pick(r, SORT_FIELDS), new BsonInt32(r.nextBoolean() ? 1 : -1));
        }
        if (unwound != null) {
            sort.putIfAbsent(unwound, new BsonInt32(1));
        }
        sort.putIfAbsent("_id", new BsonInt32(r.nextBoolean() ? 1 : -1));
        return sort;
    }

    private BsonDocument projection(Random r) {
        int kind = r.nextInt(10);
        if (kind == 0) {
            return new BsonDocument("_id", new BsonInt32(1));
        }
        if (kind == 1) {
            return new BsonDocument("_id", new BsonInt32(0));
        }
        boolean include = kind < 6;
        BsonDocument p = new BsonDocument();
        for (int n = 1 + r.nextInt(3); n > 0; n--) {
            String f = pick(r, PROJECT_FIELDS);
            // A path and its parent together are a path collision.
            boolean collides = p.keySet().stream().anyMatch(k -> k.startsWith(f + ".") || f.startsWith(k + "."));
            if (!collides) {
                p.put(f, new BsonInt32(include ? 1 : 0));
            }
        }
        if (r.nextDouble() < 0.3) {
            // _id: 0 only: the engine refuses {_id: 1} in an exclusion projection (31253), which MongoDB allows.
            p.put("_id", new BsonInt32(0));
        }
        return p;
    }

    // ---------------------------------------------------------------- filters

    /**
     * The filter of a find or of an aggregation's first $match: mostly a selective condition (up to a couple of
     * hundred documents) alone or and-ed with a random filter, now and then a random filter that may match every
     * document. The engine sorts and returns every match, so this keeps 1,000+ queries within a minute.
     */
    private BsonDocument query(Random r) {
        double p = r.nextDouble();
        if (p < 0.04) {
            return filter(r, 0);
        }
        BsonDocument selective = selective(r);
        if (p < 0.45) {
            return selective;
        }
        if (p < 0.75) {
            filter(r, 1).forEach(selective::putIfAbsent);
            return selective;
        }
        return new BsonDocument("$and", new BsonArray(List.of(selective, filter(r, 1))));
    }

    private BsonDocument selective(Random r) {
        switch (r.nextInt(9)) {
            case 0: {
                int lo = r.nextInt(DOCS);
                return new BsonDocument("_id", new BsonDocument(r.nextBoolean() ? "$gte" : "$gt", new BsonInt32(lo))
                    .append(r.nextBoolean() ? "$lt" : "$lte", new BsonInt32(lo + 5 + r.nextInt(100))));
            }
            case 1, 2: {
                // Narrow ranges on the range key, across chunk bounds (200, 400...) now and then.
                int lo = r.nextInt(1050) - 50;
                return new BsonDocument("k", new BsonDocument(r.nextBoolean() ? "$gte" : "$gt", new BsonInt32(lo))
                    .append(r.nextBoolean() ? "$lt" : "$lte", new BsonInt32(lo + 5 + r.nextInt(80))));
            }
            case 3: {
                int lo = r.nextInt(500);
                return new BsonDocument("hk", new BsonDocument("$gte", new BsonInt32(lo)).append("$lt", new BsonInt32(lo + 2 + r.nextInt(30))));
            }
            case 4, 5: {
                String key = r.nextBoolean() ? "k" : "hk";
                if (r.nextBoolean()) {
                    return new BsonDocument(key, sample(r, key));
                }
                BsonArray in = new BsonArray();
                for (int n = 1 + r.nextInt(6); n > 0; n--) {
                    in.add(sample(r, key));
                }
                return new BsonDocument(key, new BsonDocument("$in", in));
            }
            case 6: {
                BsonArray in = new BsonArray();
                for (int n = 1 + r.nextInt(10); n > 0; n--) {
                    in.add(new BsonInt32(r.nextInt(DOCS)));
                }
                return new BsonDocument("_id", new BsonDocument("$in", in));
            }
            case 7:
                return new BsonDocument("a", sample(r, "a"));
            default: {
                String field = r.nextBoolean() ? "s" : "n.x";
                return new BsonDocument(field, sample(r, field));
            }
        }
    }

    private BsonDocument filter(Random r, int depth) {
        int choice = r.nextInt(depth == 0 ? 12 : 8);
        switch (choice) {
            case 0:
                return new BsonDocument();
            case 1, 2, 3, 4:
                return leaf(r, pick(r, FILTER_FIELDS));
            case 5: {
                BsonDocument f = leaf(r, pick(r, FILTER_FIELDS));
                BsonDocument g = leaf(r, pick(r, FILTER_FIELDS));
                g.forEach(f::putIfAbsent);
                return f;
            }
            case 6, 7:
                return keyed(r);
            case 8, 9: {
                BsonArray and = new BsonArray();
                for (int n = 2 + r.nextInt(2); n > 0; n--) {
                    and.add(filter(r, depth + 1));
                }
                return new BsonDocument("$and", and);
            }
            default: {
                BsonArray or = new BsonArray();
                for (int n = 2 + r.nextInt(2); n > 0; n--) {
                    or.add(filter(r, depth + 1));
                }
                return new BsonDocument("$or", or);
            }
        }
    }

    /** A condition on a shard key (equality, $in or range on k, equality or $in on hk), sometimes with another. */
    private BsonDocument keyed(Random r) {
        String key = r.nextBoolean() ? "k" : "hk";
        BsonDocument f;
        switch (r.nextInt(4)) {
            case 0 -> f = new BsonDocument(key, sample(r, key));
            case 1 -> {
                BsonArray in = new BsonArray();
                for (int n = 1 + r.nextInt(5); n > 0; n--) {
                    in.add(sample(r, key));
                }
                f = new BsonDocument(key, new BsonDocument("$in", in));
            }
            default -> f = range(r, key);
        }
        if (r.nextDouble() < 0.4) {
            leaf(r, pick(r, FILTER_FIELDS)).forEach(f::putIfAbsent);
        }
        return f;
    }

    private BsonDocument leaf(Random r, String field) {
        switch (r.nextInt(11)) {
            case 0, 1:
                return new BsonDocument(field, sample(r, field));
            case 2:
                return new BsonDocument(field, new BsonDocument("$eq", sample(r, field)));
            case 3, 4:
                return range(r, field);
            case 5, 6: {
                BsonArray in = new BsonArray();
                for (int n = 1 + r.nextInt(4); n > 0; n--) {
                    in.add(sample(r, field));
                }
                return new BsonDocument(field, new BsonDocument("$in", in));
            }
            case 7:
                return new BsonDocument(field, new BsonDocument("$exists", BsonBoolean.valueOf(r.nextBoolean())));
            case 8:
                return new BsonDocument(field, BsonNull.VALUE);
            case 9:
                return new BsonDocument(field, new BsonDocument("$ne", sample(r, field)));
            default:
                return new BsonDocument(field, new BsonDocument("$nin", new BsonArray(List.of(sample(r, field), sample(r, field)))));
        }
    }

    private BsonDocument range(Random r, String field) {
        BsonValue lo = sample(r, field);
        BsonValue hi = sample(r, field);
        String loOp = r.nextBoolean() ? "$gt" : "$gte";
        String hiOp = r.nextBoolean() ? "$lt" : "$lte";
        BsonDocument c = new BsonDocument();
        switch (r.nextInt(3)) {
            case 0 -> c.put(loOp, lo);
            case 1 -> c.put(hiOp, hi);
            default -> {
                if (io.shardstore.sharding.BsonOrder.INSTANCE.compare(lo, hi) > 0) {
                    BsonValue t = lo;
                    lo = hi;
                    hi = t;
                }
                c.put(loOp, lo);
                c.put(hiOp, hi);
            }
        }
        return new BsonDocument(field, c);
    }

    /** A value seen at the path (numbers sometimes as another numeric type), or now and then one that is not. */
    private BsonValue sample(Random r, String field) {
        List<BsonValue> seen = samples.get(field);
        if (seen == null || r.nextDouble() < 0.1) {
            return switch (r.nextInt(3)) {
                case 0 -> new BsonInt32(r.nextInt(1200) - 100);
                case 1 -> new BsonString(WORDS[r.nextInt(WORDS.length)]);
                default -> new BsonDouble(r.nextInt(1000) / 10.0);
            };
        }
        BsonValue v = seen.get(r.nextInt(seen.size()));
        if (v.isInt32() && r.nextDouble() < 0.2) {
            return r.nextBoolean() ? new BsonInt64(v.asInt32().getValue()) : new BsonDouble(v.asInt32().getValue());
        }
        return v;
    }

    private static String pick(Random r, String[] options) {
        return options[r.nextInt(options.length)];
    }

    // ---------------------------------------------------------------- comparison

    /** Null when the outcomes agree, else why not. */
    static String difference(Outcome want, Outcome got, boolean ordered, boolean computed) {
        if (want.results() == null || got.results() == null) {
            if (want.results() == null && got.results() == null) {
                return want.errorCode().equals(got.errorCode()) ? null : "different error codes";
            }
            return want.results() == null ? "only the single node failed" : "only the router failed";
        }
        List<BsonValue> a = want.results();
        List<BsonValue> b = got.results();
        if (a.size() != b.size()) {
            return "different result counts (" + a.size() + " vs " + b.size() + ")";
        }
        if (!ordered) {
            a = canonicalOrder(a, computed);
            b = canonicalOrder(b, computed);
        }
        for (int i = 0; i < a.size(); i++) {
            if (!same(a.get(i), b.get(i), computed)) {
                return "result " + i + " differs: " + a.get(i) + " vs " + b.get(i);
            }
        }
        return null;
    }

    /** The values sorted by their JSON text (numbers rounded and of any type alike for computed values). */
    private static List<BsonValue> canonicalOrder(List<BsonValue> values, boolean computed) {
        List<Map.Entry<String, BsonValue>> keyed = new ArrayList<>(values.size());
        for (BsonValue v : values) {
            keyed.add(Map.entry(new BsonDocument("v", computed ? rounded(v) : v).toJson(), v));
        }
        keyed.sort(Map.Entry.comparingByKey());
        return keyed.stream().map(Map.Entry::getValue).toList();
    }

    /**
     * Numbers as doubles cut to 10 significant digits, to order results alike whose sums were added up in another
     * order, or whose equal values are of another type.
     */
    private static BsonValue rounded(BsonValue v) {
        if (v.isNumber()) {
            double d = v.asNumber().doubleValue();
            return Double.isFinite(d) ? new BsonDouble(new BigDecimal(d).round(new MathContext(10)).doubleValue()) : v;
        }
        if (v.isDocument()) {
            BsonDocument out = new BsonDocument();
            v.asDocument().forEach((k, x) -> out.put(k, rounded(x)));
            return out;
        }
        if (v.isArray()) {
            BsonArray out = new BsonArray();
            v.asArray().forEach(x -> out.add(rounded(x)));
            return out;
        }
        return v;
    }

    /**
     * Deep equality, field order included; 32 and 64-bit integers alike; doubles equal to 1e-9 relative. With
     * {@code computed} (aggregation output) an integer and a double of the same value are alike too: $min and $max
     * over 0 and 0.0 may pick either, depending on the order the values come in.
     */
    static boolean same(BsonValue a, BsonValue b, boolean computed) {
        if ((a.isInt32() || a.isInt64()) && (b.isInt32() || b.isInt64())) {
            return a.asNumber().longValue() == b.asNumber().longValue();
        }
        if (computed && a.isNumber() && b.isNumber() && (a.isDouble() || b.isDouble())) {
            a = new BsonDouble(a.asNumber().doubleValue());
            b = new BsonDouble(b.asNumber().doubleValue());
        }
        if (a.isDouble() && b.isDouble()) {
            double x = a.asDouble().getValue();
            double y = b.asDouble().getValue();
            return x == y || Double.isNaN(x) && Double.isNaN(y) || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
        }
        if (a.isDocument() && b.isDocument()) {
            List<String> ka = new ArrayList<>(a.asDocument().keySet());
            List<String> kb = new ArrayList<>(b.asDocument().keySet());
            if (!ka.equals(kb)) {
                return false;
            }
            for (String k : ka) {
                if (!same(a.asDocument().get(k), b.asDocument().get(k), computed)) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.asArray().size() != b.asArray().size()) {
                return false;
            }
            for (int i = 0; i < a.asArray().size(); i++) {
                if (!same(a.asArray().get(i), b.asArray().get(i), computed)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** The comparison itself must catch differences, or a broken router would pass. */
    @Test
    void comparisonCatchesDifferences() {
        BsonValue d1 = BsonDocument.parse("{_id: 1, a: 2, b: [1, 2]}");
        BsonValue d2 = BsonDocument.parse("{_id: 2, a: 2, b: [1, 2]}");
        Outcome one = new Outcome(List.of(d1, d2), null, null);
        assertEquals(null, difference(one, new Outcome(List.of(d1, d2), null, null), true, false));
        assertTrue(difference(one, new Outcome(List.of(d2, d1), null, null), true, false) != null, "order");
        assertEquals(null, difference(one, new Outcome(List.of(d2, d1), null, null), false, false));
        assertTrue(difference(one, new Outcome(List.of(d1), null, null), false, false) != null, "count");
        assertTrue(difference(one, new Outcome(List.of(d1, BsonDocument.parse("{_id: 2, a: 2, b: [2, 1]}")), null, null), false, false) != null, "array");
        assertTrue(difference(one, new Outcome(List.of(d1, BsonDocument.parse("{_id: 2, b: [1, 2], a: 2}")), null, null), true, false) != null,
            "field order");
        assertTrue(difference(one, new Outcome(null, 2, "x"), true, false) != null, "error");
        assertTrue(same(new BsonDouble(0.1 + 0.2), new BsonDouble(0.3), false));
        assertTrue(!same(new BsonDouble(0.3), new BsonInt32(0), true));
        assertTrue(!same(new BsonDouble(0.0), new BsonInt32(0), false));
        assertTrue(same(new BsonDouble(0.0), new BsonInt32(0), true));
        assertTrue(!same(new BsonDouble(0.3001), new BsonDouble(0.3), true));
    }
}
