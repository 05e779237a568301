package io.shardstore.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

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
import io.shardstore.cluster.ShardKeyAdvisorMain;

/**
 * The shard-key advisor (issue 14, item 3) on three seeded workloads, each with a key that is right for it and keys
 * that are wrong in a different way (monotonic, few values, forbidden by a unique index); the workloads' queries are
 * sampled by configureQueryAnalyzer through the router. The advisor must rank the right key first and say why.
 * {@code -Dadvisor.docs=DIR} also writes the Markdown + PNG reports there (docs/shard-key-advisor holds the example).
 */
class ShardKeyAdvisorTest {
    private static LocalCluster cluster;
    private static MongoClient client;
    private static MongoDatabase admin;

    @BeforeAll
    static void start() throws Exception {
        // Test commands: configureQueryAnalyzer may sample 1,000 a second, so every query of these short workloads is taken.
        cluster = LocalCluster.builder().shards(2).members(3).configMembers(1).testCommands(true).start();
        client = MongoClients.create(cluster.uri());
        admin = client.getDatabase("admin");
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        io.shardstore.testkit.Topology.checkAndClose(cluster);
    }

    private static void sample(String ns) {
        admin.runCommand(new Document("configureQueryAnalyzer", ns).append("mode", "full").append("samplesPerSecond", 1000));
    }

    private static Document advise(String ns) throws Exception {
        Document answer = admin.runCommand(new Document("shardKeyAdvisor", ns).append("shards", 4));
        String dir = System.getProperty("advisor.docs");
        if (dir != null) {
            new ShardKeyAdvisorMainRunner(cluster.uri(), ns, Path.of(dir)).run();
        }
        return answer;
    }

    private static Document best(Document answer) {
        return answer.getList("candidates", Document.class).get(0);
    }

    private static Document candidate(Document answer, Document key) {
        return answer.getList("candidates", Document.class).stream().filter(c -> key.equals(c.get("key"))).findFirst()
            .orElseThrow(() -> new AssertionError("no candidate " + key.toJson() + " in " + answer.toJson()));
    }

    /** Orders: looked up by customer; created in time order; three statuses. The customer is the key. */
    @Test
    void ordersAreShardedByCustomer() throws Exception {
        MongoCollection<Document> orders = client.getDatabase("adv").getCollection("orders");
        Random random = new Random(1);
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            docs.add(new Document("_id", i).append("customerId", "c" + (i * 37 % 500)).append("createdAt", 1_700_000_000L + i)
                .append("status", List.of("open", "paid", "shipped").get(i % 3)).append("total", random.nextInt(500)));
        }
        orders.insertMany(docs);
        sample("adv.orders");
        for (int i = 0; i < 200; i++) {
            orders.find(Filters.eq("customerId", "c" + random.nextInt(500))).first();
        }
        for (int i = 0; i < 50; i++) {
            int id = random.nextInt(3_000);
            orders.updateOne(Filters.and(Filters.eq("customerId", "c" + (id * 37 % 500)), Filters.eq("status", "open")),
                Updates.set("status", "paid"));
        }
        for (int i = 0; i < 20; i++) {
            orders.countDocuments(Filters.eq("status", "open"));
        }
        Document answer = advise("adv.orders");
        Document winner = best(answer);
        // {customerId: 1}, hashed, or {customerId: 1, status: 1} (the updates' filter): led by the customer.
        assertEquals("customerId", ((Document) winner.get("key")).keySet().iterator().next(), "customerId first: " + answer.toJson());
        assertTrue(((Document) answer.get("recommendation")).getString("why").contains("sampled operations would reach"), answer.toJson());
        Document status = candidate(answer, new Document("status", 1));
        assertTrue(status.getList("reasons", String.class).stream().anyMatch(r -> r.contains("only 3 distinct values")), status.toJson());
        assertTrue(status.getDouble("score") < winner.getDouble("score"));
    }

    /** Readings: a device's readings in a time window. {deviceId, ts} is the key; ts alone is monotonic. */
    @Test
    void readingsAreShardedByDeviceThenTime() throws Exception {
        MongoCollection<Document> readings = client.getDatabase("adv").getCollection("readings");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            docs.add(new Document("_id", i).append("deviceId", "d" + (i % 40)).append("ts", 1_000_000L + i).append("value", i % 97));
        }
        readings.insertMany(docs);
        sample("adv.readings");
        Random random = new Random(2);
        for (int i = 0; i < 200; i++) {
            long from = 1_000_000L + random.nextInt(3_500);
            readings.find(Filters.and(Filters.eq("deviceId", "d" + random.nextInt(40)), Filters.gte("ts", from), Filters.lt("ts", from + 400)))
                .into(new ArrayList<>());
        }
        for (int i = 0; i < 40; i++) {
            readings.find(Filters.gte("ts", 1_000_000L + random.nextInt(4_000))).first();
        }
        Document answer = advise("adv.readings");
        assertEquals(new Document("deviceId", 1).append("ts", 1), best(answer).get("key"), answer.toJson());
        Document ts = candidate(answer, new Document("ts", 1));
        assertTrue(ts.getList("reasons", String.class).stream().anyMatch(r -> r.contains("every insert would go to the last chunk")),
            ts.toJson());
    }

    /** Users: found by email, which a unique index guards; a key the index does not start with is refused. */
    @Test
    void usersAreShardedByTheirUniqueEmail() throws Exception {
        MongoCollection<Document> users = client.getDatabase("adv").getCollection("users");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            docs.add(new Document("_id", i).append("email", "user" + i + "@example.com").append("country", List.of("de", "fr", "us", "jp").get(i % 4)));
        }
        users.insertMany(docs);
        users.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
        sample("adv.users");
        Random random = new Random(3);
        for (int i = 0; i < 150; i++) {
            users.find(Filters.eq("email", "user" + random.nextInt(2_000) + "@example.com")).first();
        }
        for (int i = 0; i < 100; i++) {
            users.find(Filters.eq("country", "fr")).first();
        }
        Document answer = advise("adv.users");
        Document winner = best(answer);
        assertTrue(((Document) winner.get("key")).containsKey("email"), "email first: " + answer.toJson());
        Document country = candidate(answer, new Document("country", 1));
        assertEquals(0.0, country.getDouble("score"), country.toJson());
        assertTrue(country.getList("reasons", String.class).get(0).startsWith("cannot be the shard key: the unique index"), country.toJson());
    }

    @Test
    void withoutSamplesTheAnswerSaysSoAndBadRequestsAreRefused() throws Exception {
        MongoCollection<Document> plain = client.getDatabase("adv").getCollection("plain");
        plain.insertMany(List.of(new Document("_id", 1).append("a", 1), new Document("_id", 2).append("a", 2)));
        Document answer = admin.runCommand(new Document("shardKeyAdvisor", "adv.plain"));
        assertTrue(answer.getString("note").contains("configureQueryAnalyzer"), answer.toJson());
        assertEquals(new Document("_id", "hashed"), best(answer).get("key"));
        assertEquals(26, assertThrows(MongoCommandException.class,
            () -> admin.runCommand(new Document("shardKeyAdvisor", "adv.none"))).getErrorCode());
        assertEquals(2, assertThrows(MongoCommandException.class,
            () -> admin.runCommand(new Document("shardKeyAdvisor", "adv.plain").append("shards", 0))).getErrorCode());
        assertEquals(14, assertThrows(MongoCommandException.class,
            () -> admin.runCommand(new Document("shardKeyAdvisor", "adv.plain").append("candidates", "a"))).getErrorCode());
        // The command line tool: a table on stdout, Markdown and a PNG beside it.
        Path out = Files.createTempDirectory("advice-");
        new ShardKeyAdvisorMainRunner(cluster.uri(), "adv.plain", out).run();
        assertTrue(Files.readString(out.resolve("shard-key-advice-adv.plain.md")).contains("# Shard key advice for `adv.plain`"));
        byte[] png = Files.readAllBytes(out.resolve("shard-key-advice-adv.plain.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG");
    }

    /** Runs bin/shard-key-advisor's main class in this JVM. */
    private record ShardKeyAdvisorMainRunner(String uri, String ns, Path out) {
        void run() {
            int exit = new picocli.CommandLine(new ShardKeyAdvisorMain()).execute("--uri", uri, "--ns", ns, "--shards", "4",
                "--out", out.toString());
            assertEquals(0, exit, "shard-key-advisor exit code");
        }
    }
}
