package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.types.MinKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.shardstore.cluster.LocalCluster;

/**
 * Golden table of the router's targeting. For every case of {@code src/test/resources/explain/targeting_cases.json}
 * ({@code name}, {@code collection} namespace, {@code command} as extended JSON, {@code expect}), {@code {explain:
 * <command>}} through the router must report the expected {@code queryPlanner.winningPlan} stage and set of shards
 * (or, for {@code expect: {error: codeName}}, be refused with that error), on the fixed layout below.
 *
 * <p><b>The JSON doubles as the documented list of what is targeted how.</b> {@code docs/targeting.md} carries it as a
 * table, generated from the JSON: {@link #documentationMatchesTheTable()} fails when the two disagree, and rewrites
 * the table when run with {@code -Dgolden.update=true}.
 *
 * <p>Layout (3 shards, databases {@code golden} with primary shard0 and {@code golden_s2} with primary shard2):
 * <ul>
 * <li>{@code golden.range}, key {@code {k: 1}}: [MinKey, 0) shard2, [0, 100) shard0, [100, 200) shard1,
 * [200, 300) shard2, [300, MaxKey) shard1;</li>
 * <li>{@code golden.hashed}, key {@code {uid: "hashed"}}: the initial 6 chunks of the hash space, round-robin from
 * shard0 (uid 1 lands on shard0, 3 on shard1, 7 on shard2);</li>
 * <li>{@code golden.compound}, key {@code {region: 1, ts: 1}}: [MinKey, {eu, MinKey}) shard0,
 * [{eu, MinKey}, {us, MinKey}) shard1, [{us, MinKey}, {us, 1000}) shard2, [{us, 1000}, MaxKey) shard0;</li>
 * <li>{@code golden.unsharded} (on shard0) and {@code golden_s2.unsharded} (on shard2): not sharded.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The conformance executions of this module re-run every selected test against their own target; this test
// builds its own cluster, so it runs once, in the default execution.
@DisabledIfSystemProperty(named = "conformance.target", matches = "cluster.*")
class GoldenExplainTest {
    static final String CASES = "/explain/targeting_cases.json";
    static final String BEGIN = "<!-- BEGIN GENERATED from cluster/src/test/resources/explain/targeting_cases.json by GoldenExplainTest -->";
    static final String END = "<!-- END GENERATED -->";

    LocalCluster cluster;
    MongoClient client;
    List<BsonDocument> cases;

    @BeforeAll
    void start() throws Exception {
        cases = loadCases();
        cluster = LocalCluster.start(3);
        client = MongoClients.create(cluster.uri());
        MongoDatabase admin = client.getDatabase("admin");
        admin.runCommand(new Document("balancerStop", 1)); // the layout is the golden file's premise
        admin.runCommand(new Document("enableSharding", "golden").append("primaryShard", "shard0"));
        admin.runCommand(new Document("enableSharding", "golden_s2").append("primaryShard", "shard2"));

        admin.runCommand(new Document("shardCollection", "golden.range").append("key", new Document("k", 1)));
        for (int at : new int[] {0, 100, 200, 300}) {
            admin.runCommand(new Document("split", "golden.range").append("middle", new Document("k", at)));
        }
        moveChunk(admin, "golden.range", new Document("k", -1), "shard2");
        moveChunk(admin, "golden.range", new Document("k", 100), "shard1");
        moveChunk(admin, "golden.range", new Document("k", 200), "shard2");
        moveChunk(admin, "golden.range", new Document("k", 300), "shard1");

        admin.runCommand(new Document("shardCollection", "golden.hashed").append("key", new Document("uid", "hashed")));

        admin.runCommand(new Document("shardCollection", "golden.compound").append("key", new Document("region", 1).append("ts", 1)));
        admin.runCommand(new Document("split", "golden.compound").append("middle", new Document("region", "eu").append("ts", new MinKey())));
        admin.runCommand(new Document("split", "golden.compound").append("middle", new Document("region", "us").append("ts", new MinKey())));
        admin.runCommand(new Document("split", "golden.compound").append("middle", new Document("region", "us").append("ts", 1000)));
        moveChunk(admin, "golden.compound", new Document("region", "eu").append("ts", 0), "shard1");
        moveChunk(admin, "golden.compound", new Document("region", "us").append("ts", 0), "shard2");

        client.getDatabase("golden").getCollection("unsharded").insertOne(new Document("x", 1));
        client.getDatabase("golden_s2").getCollection("unsharded").insertOne(new Document("x", 1));
    }

    private static void moveChunk(MongoDatabase admin, String ns, Document find, String to) {
        admin.runCommand(new Document("moveChunk", ns).append("find", find).append("to", to));
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static List<BsonDocument> loadCases() throws IOException {
        try (InputStream in = GoldenExplainTest.class.getResourceAsStream(CASES)) {
            if (in == null) {
                throw new IllegalStateException(CASES + " is not on the test classpath");
            }
            List<BsonDocument> list = new ArrayList<>();
            for (BsonValue v : BsonArray.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8))) {
                list.add(v.asDocument());
            }
            return list;
        }
    }

    @Test
    void tableIsWellFormed() {
        assertTrue(cases.size() >= 45, "only " + cases.size() + " cases");
        java.util.Set<String> names = new java.util.HashSet<>();
        for (BsonDocument c : cases) {
            String name = c.getString("name").getValue();
            assertTrue(names.add(name), "two cases are named '" + name + "'");
            String ns = c.getString("collection").getValue();
            BsonDocument command = c.getDocument("command");
            // The command must be about the case's collection.
            assertEquals(ns.substring(ns.indexOf('.') + 1), command.getString(command.getFirstKey()).getValue(), name);
            BsonDocument expect = c.getDocument("expect");
            assertTrue(expect.containsKey("error") || expect.isString("stage") && expect.isArray("shards"), name + ": " + expect.toJson());
        }
    }

    /** Every case of the table: explain through the router reports the expected stage and shards (or error). */
    @Test
    void explainMatchesTheTable() {
        List<String> failures = new ArrayList<>();
        for (BsonDocument c : cases) {
            String name = c.getString("name").getValue();
            String ns = c.getString("collection").getValue();
            BsonDocument command = c.getDocument("command");
            BsonDocument expect = c.getDocument("expect");
            MongoDatabase db = client.getDatabase(ns.substring(0, ns.indexOf('.')));
            String got;
            try {
                BsonDocument plan = db.runCommand(new BsonDocument("explain", command), BsonDocument.class)
                    .getDocument("queryPlanner").getDocument("winningPlan");
                TreeSet<String> shards = new TreeSet<>();
                plan.getArray("shards").forEach(s -> shards.add(s.asDocument().getString("shardName").getValue()));
                got = new BsonDocument("stage", plan.getString("stage")).append("shards", strings(shards)).toJson();
            } catch (MongoCommandException e) {
                got = new BsonDocument("error", new BsonString(e.getErrorCodeName())).toJson();
            }
            if (!got.equals(expect.toJson())) {
                failures.add(name + ": expected " + expect.toJson() + ", got " + got + "\n    command: " + command.toJson());
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + cases.size() + " targeting cases differ from " + CASES + ":\n  " + String.join("\n  ", failures));
        }
    }

    private static BsonArray strings(Iterable<String> values) {
        BsonArray a = new BsonArray();
        values.forEach(v -> a.add(new BsonString(v)));
        return a;
    }

    /**
     * What explain says is where the data is: a document written through the router lands on the shard that a
     * single-document insert is explained to target (the layout above is real, not only in the catalog).
     */
    @Test
    void insertsLandWhereExplainSays() {
        Map<String, List<Document>> byNs = new LinkedHashMap<>();
        byNs.put("golden.range", List.of(new Document("_id", "r-5").append("k", -5), new Document("_id", "r50").append("k", 50),
            new Document("_id", "r150").append("k", 150), new Document("_id", "r250").append("k", 250), new Document("_id", "r350").append("k", 350)));
        byNs.put("golden.hashed", List.of(new Document("_id", "h1").append("uid", 1), new Document("_id", "h3").append("uid", 3),
            new Document("_id", "h7").append("uid", 7)));
        byNs.put("golden.compound", List.of(new Document("_id", "c-a").append("region", "asia").append("ts", 1),
            new Document("_id", "c-eu").append("region", "eu").append("ts", 5), new Document("_id", "c-us").append("region", "us").append("ts", 500),
            new Document("_id", "c-us2").append("region", "us").append("ts", 5000)));
        for (Map.Entry<String, List<Document>> e : byNs.entrySet()) {
            String db = e.getKey().substring(0, e.getKey().indexOf('.'));
            String coll = e.getKey().substring(db.length() + 1);
            for (Document doc : e.getValue()) {
                BsonDocument insert = new BsonDocument("insert", new BsonString(coll))
                    .append("documents", new BsonArray(List.of(doc.toBsonDocument())));
                String shard = client.getDatabase(db).runCommand(new BsonDocument("explain", insert), BsonDocument.class)
                    .getDocument("queryPlanner").getDocument("winningPlan").getArray("shards").get(0).asDocument()
                    .getString("shardName").getValue();
                client.getDatabase(db).getCollection(coll).insertOne(doc);
                for (int i = 0; i < 3; i++) {
                    try (MongoClient direct = MongoClients.create(cluster.shardUri(i))) {
                        long n = direct.getDatabase(db).getCollection(coll).countDocuments(new Document("_id", doc.get("_id")));
                        assertEquals(shard.equals("shard" + i) ? 1 : 0, n, doc.toJson() + " on shard" + i + " (explain said " + shard + ")");
                    }
                }
            }
            client.getDatabase(db).getCollection(coll).deleteMany(new Document());
        }
    }

    // ---------------------------------------------------------------- docs/targeting.md

    @Test
    void documentationMatchesTheTable() throws IOException {
        Path doc = projectRoot().resolve("docs/targeting.md");
        String text = Files.readString(doc);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertTrue(begin >= 0 && end > begin, doc + " has no generated section (" + BEGIN + " ... " + END + ")");
        String generated = render(cases);
        String current = text.substring(begin + BEGIN.length(), end);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(doc, text.substring(0, begin + BEGIN.length()) + generated + text.substring(end));
            return;
        }
        assertEquals(generated, current, doc + " is not generated from " + CASES + ": run GoldenExplainTest with -Dgolden.update=true");
    }

    private static Path projectRoot() {
        String root = System.getProperty("project.root", "");
        if (!root.isBlank()) {
            return Path.of(root);
        }
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("docs")) ? here : here.getParent();
    }

    /** The table as markdown, one section per command, in the order of the JSON. */
    static String render(List<BsonDocument> cases) {
        JsonWriterSettings json = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
        Map<String, List<BsonDocument>> byCommand = new LinkedHashMap<>();
        for (BsonDocument c : cases) {
            byCommand.computeIfAbsent(c.getDocument("command").getFirstKey(), k -> new ArrayList<>()).add(c);
        }
        StringBuilder out = new StringBuilder("\n");
        for (Map.Entry<String, List<BsonDocument>> e : byCommand.entrySet()) {
            out.append("\n### ").append(e.getKey()).append("\n\n");
            out.append("| case | collection | command | plan | shards |\n");
            out.append("| --- | --- | --- | --- | --- |\n");
            for (BsonDocument c : e.getValue()) {
                BsonDocument expect = c.getDocument("expect");
                String plan = expect.containsKey("error") ? "refused: " + expect.getString("error").getValue() : expect.getString("stage").getValue();
                List<String> shards = new ArrayList<>();
                expect.getArray("shards", new BsonArray()).forEach(s -> shards.add(s.asString().getValue()));
                out.append("| ").append(cell(c.getString("name").getValue()))
                    .append(" | `").append(c.getString("collection").getValue())
                    .append("` | `").append(cell(c.getDocument("command").toJson(json)))
                    .append("` | ").append(plan)
                    .append(" | ").append(String.join(", ", shards)).append(" |\n");
            }
        }
        return out.append("\n").toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }
}
