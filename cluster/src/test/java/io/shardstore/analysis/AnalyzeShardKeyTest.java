package io.shardstore.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;

import io.shardstore.cluster.LocalCluster;

/**
 * analyzeShardKey and configureQueryAnalyzer (issue 14, items 1 and 2) through the router, on 3-member shards, with
 * the Java driver's defaults. A seeded collection has a monotonic key ({@code ts}, the insert order), a
 * low-cardinality one ({@code region}, four values with known shares) and a good compound one ({@code customer, seq}:
 * unique, unrelated to the insert order); the test computes what each figure must be from the documents it inserted
 * (counts, most common values, Pearson's coefficient of key order against insert order) and compares.
 */
class AnalyzeShardKeyTest {
    private static final int DOCS = 2_000;
    private static LocalCluster cluster;
    private static MongoClient client;
    private static MongoDatabase admin;
    private static final List<Document> inserted = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().shards(2).members(3).configMembers(1).start();
        client = MongoClients.create(cluster.uri());
        admin = client.getDatabase("admin");
        MongoCollection<Document> orders = client.getDatabase("shop").getCollection("orders");
        for (int i = 0; i < DOCS; i++) {
            inserted.add(order(i));
        }
        orders.insertMany(inserted);
        orders.createIndex(Indexes.ascending("ts"));
        orders.createIndex(Indexes.ascending("region"));
        orders.createIndex(Indexes.ascending("customer", "seq"), new IndexOptions().unique(true));
    }

    /** Document i: ts grows with i; region eu 50 %, us 30 %, ap 10 %, sa 10 %; (customer, seq) unique, scattered. */
    static Document order(int i) {
        int r = i % 10;
        String region = r < 5 ? "eu" : r < 8 ? "us" : r < 9 ? "ap" : "sa";
        return new Document("_id", i).append("ts", i).append("region", region).append("customer", (i * 7919) % 400)
            .append("seq", i / 400).append("status", "new");
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        io.shardstore.testkit.Topology.checkAndClose(cluster);
    }

    private static Document analyze(String ns, Document key, Document options) {
        Document cmd = new Document("analyzeShardKey", ns).append("key", key);
        cmd.putAll(options);
        return admin.runCommand(cmd);
    }

    @Test
    void keyCharacteristicsOfAMonotonicALowCardinalityAndACompoundKeyMatchADirectComputation() {
        Document noRw = new Document("readWriteDistribution", false);
        for (Document key : List.of(new Document("ts", 1), new Document("region", 1), new Document("customer", 1).append("seq", 1))) {
            Document reply = analyze("shop.orders", key, noRw);
            Document kc = (Document) reply.get("keyCharacteristics");
            Function<Document, Document> keyOf = d -> {
                Document k = new Document();
                key.keySet().forEach(f -> k.append(f, d.get(f)));
                return k;
            };
            Map<Document, Long> counts = new HashMap<>();
            inserted.forEach(d -> counts.merge(keyOf.apply(d), 1L, Long::sum));
            boolean unique = key.size() == 2;
            assertEquals(DOCS, ((Number) kc.get("numDocsTotal")).longValue(), key.toJson());
            assertEquals(DOCS, ((Number) kc.get("numDocsSampled")).longValue(), key.toJson());
            assertEquals(unique, kc.getBoolean("isUnique"), key.toJson());
            assertEquals(counts.size(), ((Number) kc.get("numDistinctValues")).longValue(), key.toJson());
            assertTrue(((Number) kc.get("avgDocSizeBytes")).longValue() > 40, kc.toJson());
            // Most common values: the top five frequencies, each with its count.
            List<Long> expectedTop = counts.values().stream().sorted(Comparator.reverseOrder()).limit(5).toList();
            List<Document> mcv = kc.getList("mostCommonValues", Document.class);
            assertEquals(expectedTop, mcv.stream().map(d -> ((Number) d.get("frequency")).longValue()).toList(), key.toJson());
            for (Document v : mcv) {
                assertEquals(counts.get((Document) v.get("value")), ((Number) v.get("frequency")).longValue(), v.toJson());
            }
            Document monotonicity = (Document) kc.get("monotonicity");
            double expected = recordIdCorrelation(inserted, keyOf);
            assertEquals(expected, ((Number) monotonicity.get("recordIdCorrelationCoefficient")).doubleValue(), 1e-9, key.toJson());
            assertEquals(Math.abs(expected) >= 0.7 ? "monotonic" : "not monotonic", monotonicity.getString("type"), key.toJson());
            assertFalse(reply.containsKey("readDistribution"), "readWriteDistribution: false");
        }
        // The figures the workloads stand for.
        Document ts = (Document) analyze("shop.orders", new Document("ts", 1), noRw).get("keyCharacteristics");
        assertEquals("monotonic", ((Document) ts.get("monotonicity")).getString("type"));
        Document region = (Document) analyze("shop.orders", new Document("region", 1), noRw).get("keyCharacteristics");
        assertEquals(4L, ((Number) region.get("numDistinctValues")).longValue());
        Document top = region.getList("mostCommonValues", Document.class).get(0);
        assertEquals(new Document("region", "eu"), top.get("value"));
        assertEquals(DOCS / 2, ((Number) top.get("frequency")).intValue());
        Document compound = (Document) analyze("shop.orders", new Document("customer", 1).append("seq", 1), noRw).get("keyCharacteristics");
        assertEquals("not monotonic", ((Document) compound.get("monotonicity")).getString("type"));
        // A sample: about the share asked for, read evenly.
        Document sampled = (Document) analyze("shop.orders", new Document("ts", 1), new Document("readWriteDistribution", false)
            .append("sampleSize", 500)).get("keyCharacteristics");
        assertEquals(500L, ((Number) sampled.get("numDocsSampled")).longValue());
        assertEquals(DOCS, ((Number) sampled.get("numDocsTotal")).longValue());
    }

    /**
     * The test's own computation of MongoDB's monotonicity figure: documents in key order (equal keys in insert order,
     * as an index orders them), Pearson's coefficient of that position against the insert position.
     */
    private static double recordIdCorrelation(List<Document> docs, Function<Document, Document> keyOf) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            order.add(i);
        }
        Comparator<Document> byKey = (a, b) -> {
            for (String f : a.keySet()) {
                @SuppressWarnings("unchecked")
                int c = ((Comparable<Object>) a.get(f)).compareTo(b.get(f));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
        order.sort(Comparator.comparing((Integer i) -> keyOf.apply(docs.get(i)), byKey).thenComparing(i -> i));
        int n = order.size();
        double meanX = (n - 1) / 2.0;
        double meanY = meanX;
        double cov = 0;
        double varX = 0;
        double varY = 0;
        for (int pos = 0; pos < n; pos++) {
            double x = pos - meanX;
            double y = order.get(pos) - meanY;
            cov += x * y;
            varX += x * x;
            varY += y * y;
        }
        return cov / Math.sqrt(varX * varY);
    }

    /**
     * config.sampledQueriesDiff (issue 14, item 1): the router puts each sampled update's id in the statement it sends,
     * and the shard that applies it keeps what it changed, in the oplog's diff format, under that id. The diffs, not
     * the updates' text, tell analyzeShardKey which updates changed a key: a replacement that keeps {@code ts} and a
     * {@code $set} of {@code ts} to its own value do not; the text alone counted both.
     */
    @Test
    void sampledUpdatesLeaveTheirDiffsOnTheShardsAndTheDiffsDecideWhichChangedTheKey() {
        MongoCollection<Document> c = client.getDatabase("shop").getCollection("diffs");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            docs.add(order(i).append("addr", new Document("city", "c" + i).append("zip", i)));
        }
        c.insertMany(docs);
        admin.runCommand(new Document("configureQueryAnalyzer", "shop.diffs").append("mode", "full").append("samplesPerSecond", 50));
        c.updateOne(Filters.eq("ts", 1), Updates.set("status", "seen"));                            // changes status
        c.replaceOne(Filters.eq("ts", 2), order(2).append("status", "replaced"));                  // keeps ts, drops addr
        c.updateOne(Filters.eq("ts", 3), Updates.set("ts", 3));                                    // changes nothing
        c.updateOne(Filters.eq("ts", 4), Updates.set("ts", 4004));                                 // changes the key
        c.findOneAndUpdate(Filters.eq("ts", 5), Updates.set("addr.city", "moved"));                // a nested field
        admin.runCommand(new Document("configureQueryAnalyzer", "shop.diffs").append("mode", "off"));

        Map<Object, Document> diffs = new HashMap<>();
        for (int shard = 0; shard < 2; shard++) {
            try (MongoClient direct = MongoClients.create(cluster.shardUri(shard))) {
                direct.getDatabase("config").getCollection("sampledQueriesDiff").find(Filters.eq("ns", "shop.diffs"))
                    .forEach(d -> diffs.put(d.get("_id"), d));
            }
        }
        Map<Integer, Object> sampleIdByTs = new HashMap<>();
        for (Document sample : admin.aggregate(List.of(new Document("$listSampledQueries", new Document("namespace", "shop.diffs"))))) {
            Document cmd = (Document) sample.get("cmd");
            Document filter = "findAndModify".equals(sample.getString("cmdName")) ? (Document) cmd.get("query")
                : (Document) cmd.getList("updates", Document.class).get(0).get("q");
            sampleIdByTs.put(filter.getInteger("ts"), sample.get("_id"));
        }
        assertEquals(java.util.Set.of(1, 2, 3, 4, 5), sampleIdByTs.keySet(), "every update was sampled");
        assertEquals(4, diffs.size(), "no diff for the update that changed nothing: " + diffs.keySet());
        assertEquals(new Document("u", new Document("status", "seen")), diff(diffs, sampleIdByTs.get(1)));
        assertEquals(new Document("d", new Document("addr", false)).append("u", new Document("status", "replaced")),
            diff(diffs, sampleIdByTs.get(2)));
        assertFalse(diffs.containsKey(sampleIdByTs.get(3)));
        assertEquals(new Document("u", new Document("ts", 4004)), diff(diffs, sampleIdByTs.get(4)));
        assertEquals(new Document("saddr", new Document("u", new Document("city", "moved"))), diff(diffs, sampleIdByTs.get(5)));
        assertEquals("shop.diffs", diffs.get(sampleIdByTs.get(1)).getString("ns"));
        assertTrue(diffs.get(sampleIdByTs.get(1)).get("expireAt") instanceof java.util.Date, diffs.get(sampleIdByTs.get(1)).toJson());

        // The diffs expire as mongod's do: a TTL index on expireAt, which the nodes' TTL monitor honours in the config
        // database too (every second in this suite).
        for (int shard = 0; shard < 2; shard++) {
            try (MongoClient direct = MongoClients.create(cluster.shardUri(shard))) {
                MongoCollection<Document> stored = direct.getDatabase("config").getCollection("sampledQueriesDiff");
                if (stored.countDocuments(Filters.eq("ns", "shop.diffs")) == 0) {
                    continue; // the shard that applied no sampled update has no such collection
                }
                Document ttl = stored.listIndexes().into(new ArrayList<>()).stream()
                    .filter(ix -> "expireAt_1".equals(ix.getString("name"))).findFirst().orElseThrow();
                assertEquals(0, ((Number) ttl.get("expireAfterSeconds")).intValue(), ttl.toJson());
                stored.insertOne(new Document("_id", "expired").append("ns", "shop.gone").append("diff", new Document())
                    .append("expireAt", new java.util.Date(0)));
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                while (stored.countDocuments(Filters.eq("_id", "expired")) > 0 && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100)); // between polls
                }
                assertEquals(0, stored.countDocuments(Filters.eq("_id", "expired")), "an expired diff is deleted by the TTL monitor");
                assertEquals(4, stored.countDocuments(Filters.eq("ns", "shop.diffs")), "the others stay");
            }
        }

        // sampleId is the router's to send: from a client it is an unknown field, and nothing is written.
        MongoCommandException refused = assertThrows(MongoCommandException.class, () -> client.getDatabase("shop").runCommand(
            new Document("update", "diffs").append("updates", List.of(new Document("q", new Document("ts", 6))
                .append("u", new Document("$set", new Document("ts", 6006))).append("sampleId", new org.bson.BsonBinary(java.util.UUID.randomUUID()))))));
        assertEquals(40415, refused.getErrorCode(), refused.getMessage());
        assertEquals(1, c.countDocuments(Filters.eq("ts", 6)));

        Document noKc = new Document("keyCharacteristics", false);
        Document byTs = (Document) analyze("shop.diffs", new Document("ts", 1), noKc).get("writeDistribution");
        assertEquals(100.0 * 1 / 5, byTs.getDouble("percentageOfShardKeyUpdates"), 1e-9, byTs.toJson());
        Document byCity = (Document) analyze("shop.diffs", new Document("addr.city", 1), noKc).get("writeDistribution");
        // The replacement dropped addr (so its city), and the findAndModify moved one.
        assertEquals(100.0 * 2 / 5, byCity.getDouble("percentageOfShardKeyUpdates"), 1e-9, byCity.toJson());
    }

    private static Document diff(Map<Object, Document> diffs, Object sampleId) {
        Document entry = diffs.get(sampleId);
        return entry == null ? null : (Document) entry.get("diff");
    }

    @Test
    void readAndWriteDistributionComesFromTheSampledWorkload() {
        MongoCollection<Document> c = client.getDatabase("shop").getCollection("workload");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            docs.add(order(i));
        }
        c.insertMany(docs);
        c.createIndex(Indexes.ascending("ts"));
        Document configured = admin.runCommand(new Document("configureQueryAnalyzer", "shop.workload").append("mode", "full")
            .append("samplesPerSecond", 50));
        assertEquals(new Document("mode", "full").append("samplesPerSecond", 50.0), configured.get("newConfiguration"));
        // 40 operations (within one second's worth of samples at 50 a second): each is sampled.
        for (int i = 0; i < 10; i++) {
            c.find(Filters.eq("ts", i * 100)).first();                       // single-shard for {ts: 1}
        }
        for (int i = 0; i < 5; i++) {
            c.find(new Document("ts", new Document("$gte", i * 10).append("$lt", i * 10 + 500))).first(); // multi-shard
            client.getDatabase("shop").runCommand(new Document("count", "workload").append("query", new Document("region", "eu"))); // scatter
        }
        for (int i = 0; i < 5; i++) {
            c.updateOne(Filters.eq("ts", i), Updates.set("status", "seen"));  // single-shard write
        }
        for (int i = 0; i < 3; i++) {
            c.updateMany(Filters.eq("region", "us"), Updates.set("status", "us")); // scatter, multi without key
        }
        for (int i = 0; i < 2; i++) {
            c.deleteOne(Filters.eq("customer", 7 + i));                       // scatter, single without key
        }
        for (int i = 0; i < 2; i++) {
            c.findOneAndUpdate(Filters.eq("ts", 1000 + i), Updates.set("ts", 5000 + i)); // single-shard, changes the key
        }
        Document reply = analyze("shop.workload", new Document("ts", 1), new Document());
        assertTrue(reply.containsKey("keyCharacteristics"), reply.toJson());
        Document reads = (Document) reply.get("readDistribution");
        assertEquals(new Document("total", 20L).append("find", 15L).append("aggregate", 0L).append("count", 5L).append("distinct", 0L),
            reads.get("sampleSize"));
        assertEquals(50.0, reads.getDouble("percentageOfSingleShardReads"), 1e-9);
        assertEquals(25.0, reads.getDouble("percentageOfMultiShardReads"), 1e-9);
        assertEquals(25.0, reads.getDouble("percentageOfScatterGatherReads"), 1e-9);
        List<Long> byRange = reads.getList("numReadsByRange", Long.class);
        assertEquals(100, byRange.size(), "2,000 distinct values: the full 100 ranges");
        // A scatter-gather read counts in every range, a single-shard one in one.
        assertTrue(byRange.stream().allMatch(n -> n >= 5), byRange.toString());
        Document writes = (Document) reply.get("writeDistribution");
        assertEquals(new Document("total", 12L).append("update", 8L).append("delete", 2L).append("findAndModify", 2L),
            writes.get("sampleSize"));
        assertEquals(100.0 * 7 / 12, writes.getDouble("percentageOfSingleShardWrites"), 1e-9);
        assertEquals(0.0, writes.getDouble("percentageOfMultiShardWrites"), 1e-9);
        assertEquals(100.0 * 5 / 12, writes.getDouble("percentageOfScatterGatherWrites"), 1e-9);
        assertEquals(100.0 * 2 / 12, writes.getDouble("percentageOfShardKeyUpdates"), 1e-9);
        assertEquals(100.0 * 2 / 12, writes.getDouble("percentageOfSingleWritesWithoutShardKey"), 1e-9);
        assertEquals(100.0 * 3 / 12, writes.getDouble("percentageOfMultiWritesWithoutShardKey"), 1e-9);

        // The same samples seen through another candidate: {region: 1} pins the counts and the updateMany.
        Document byRegion = analyze("shop.workload", new Document("region", 1), new Document("keyCharacteristics", false));
        assertFalse(byRegion.containsKey("keyCharacteristics"), "no index on region, and not asked");
        Document regionReads = (Document) byRegion.get("readDistribution");
        assertEquals(25.0, regionReads.getDouble("percentageOfSingleShardReads"), 1e-9);
        assertEquals(75.0, regionReads.getDouble("percentageOfScatterGatherReads"), 1e-9);

        Document off = admin.runCommand(new Document("configureQueryAnalyzer", "shop.workload").append("mode", "off"));
        assertEquals(new Document("mode", "off"), off.get("newConfiguration"));
        assertEquals(new Document("mode", "full").append("samplesPerSecond", 50.0), off.get("oldConfiguration"));
        Document stored = client.getDatabase("config").getCollection("queryAnalyzers").find(Filters.eq("_id", "shop.workload")).first();
        assertEquals("off", stored.getString("mode"), stored.toJson());
        assertTrue(stored.containsKey("stopTime") && stored.containsKey("collUuid"), stored.toJson());
        Document sample = admin.aggregate(List.of(new Document("$listSampledQueries", new Document("namespace", "shop.workload"))))
            .into(new ArrayList<>()).stream().filter(d -> "find".equals(d.getString("cmdName"))).findFirst().orElseThrow();
        assertEquals("shop.workload", sample.getString("ns"), sample.toJson());
        // _id: a UUID (binary subtype 4, which the driver's default representation leaves as Binary).
        assertTrue(sample.get("expireAt") instanceof java.util.Date && sample.get("_id") instanceof org.bson.types.Binary id
            && id.getType() == 4, sample.toJson());
        assertTrue(((Document) sample.get("cmd")).containsKey("filter"), sample.toJson());
    }

    @Test
    void aShardedCollectionIsAnalyzedForAKeyOtherThanItsOwn() {
        admin.runCommand(new Document("enableSharding", "spread"));
        admin.runCommand(new Document("shardCollection", "spread.events").append("key", new Document("_id", "hashed")));
        MongoCollection<Document> events = client.getDatabase("spread").getCollection("events");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            docs.add(order(i));
        }
        events.insertMany(docs);
        events.createIndex(Indexes.ascending("ts"));
        events.createIndex(Indexes.hashed("_id"));
        Document kc = (Document) analyze("spread.events", new Document("ts", 1), new Document("readWriteDistribution", false))
            .get("keyCharacteristics");
        assertEquals(DOCS, ((Number) kc.get("numDistinctValues")).intValue(), kc.toJson());
        assertEquals(0L, ((Number) kc.get("numOrphanDocs")).longValue(), kc.toJson());
        assertTrue(kc.containsKey("note"), kc.toJson());
        // On each shard ts grows with the insert order: monotonic wherever the documents went.
        Document monotonicity = (Document) kc.get("monotonicity");
        assertEquals("monotonic", monotonicity.getString("type"), kc.toJson());
        assertEquals(1.0, ((Number) monotonicity.get("recordIdCorrelationCoefficient")).doubleValue(), 1e-9);
        // Its own key, hashed: never monotonic. (The {_id: "hashed"} index was silently not built before.)
        Document own = (Document) analyze("spread.events", new Document("_id", "hashed"), new Document("readWriteDistribution", false))
            .get("keyCharacteristics");
        assertEquals(DOCS, ((Number) own.get("numDistinctValues")).intValue(), own.toJson());
        assertEquals(new Document("recordIdCorrelationCoefficient", 0.0).append("type", "not monotonic"), own.get("monotonicity"));
    }

    @Test
    void badRequestsGetMongoDbsErrors() {
        assertEquals(26, code(() -> analyze("shop.nothing", new Document("a", 1), new Document())));
        assertEquals(20, code(() -> analyze("shop.orders", new Document("status", 1), new Document("readWriteDistribution", false))));
        assertEquals(72, code(() -> analyze("shop.orders", new Document("ts", 1), new Document("keyCharacteristics", false)
            .append("readWriteDistribution", false))));
        assertEquals(72, code(() -> analyze("shop.orders", new Document("ts", 1), new Document("sampleRate", 0.5).append("sampleSize", 5))));
        assertEquals(51024, code(() -> analyze("shop.orders", new Document("ts", 1), new Document("sampleRate", 2))));
        assertEquals(2, code(() -> analyze("shop.orders", new Document("a", "hashed").append("b", "hashed"), new Document())));
        assertEquals(2, code(() -> analyze("shop.orders", new Document("$a", 1), new Document())));
        assertEquals(14, code(() -> admin.runCommand(new Document("analyzeShardKey", "shop.orders").append("key", 1))));
        assertEquals(73, code(() -> analyze("orders", new Document("ts", 1), new Document())));
        assertEquals(20, code(() -> analyze("config.chunks", new Document("min", 1), new Document())));
        assertEquals(20, code(() -> analyze("shop.system.views", new Document("a", 1), new Document())));
        assertEquals(72, code(() -> admin.runCommand(new Document("configureQueryAnalyzer", "shop.orders").append("mode", "full")
            .append("samplesPerSecond", 51))));
        assertEquals(72, code(() -> admin.runCommand(new Document("configureQueryAnalyzer", "shop.orders").append("mode", "off")
            .append("samplesPerSecond", 1))));
        assertEquals(72, code(() -> admin.runCommand(new Document("configureQueryAnalyzer", "shop.orders").append("mode", "full"))));
        assertEquals(2, code(() -> admin.runCommand(new Document("configureQueryAnalyzer", "shop.orders").append("mode", "half"))));
        assertEquals(26, code(() -> admin.runCommand(new Document("configureQueryAnalyzer", "shop.nothing").append("mode", "full")
            .append("samplesPerSecond", 1))));
        // Turning off what was never on: just the new configuration.
        Document off = admin.runCommand(new Document("configureQueryAnalyzer", "shop.orders").append("mode", "off"));
        assertFalse(off.containsKey("oldConfiguration"), off.toJson());
    }

    private static int code(Runnable r) {
        return assertThrows(MongoCommandException.class, r::run).getErrorCode();
    }
}
