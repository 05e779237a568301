package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.shardstore.cluster.LocalReplicaSet;

/**
 * A 3-member set (tags dc: east / east / west, mode disasterProof = two data centres) checked with the Java driver
 * discovering the set from one seed: initiate, hello, status, config, replication, secondary refusals, write concern.
 */
class ReplicaSetTest {
    private static LocalReplicaSet set;
    private static MongoClient client;
    private static int primary;

    @BeforeAll
    static void startSet() throws Exception {
        // Test commands on: the pymongo script sets the failCommand fail point (a write concern error to retry).
        java.util.List<io.shardstore.node.NodeOptions> options = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            options.add(io.shardstore.node.NodeOptions.inMemory(0).withReplSet("rs1").withTestCommands(true));
        }
        set = LocalReplicaSet.start("rs1", options);
        // Before replSetInitiate: answers as an uninitiated mongod does.
        de.bwaldvogel.mongo.bson.Document hello = set.command(1, "admin", new de.bwaldvogel.mongo.bson.Document("hello", 1));
        assertEquals(false, hello.get("isWritablePrimary"));
        assertEquals(false, hello.get("secondary"));
        assertEquals(true, hello.get("isreplicaset"));
        assertEquals("Does not have a valid replica set config", hello.get("info"));
        de.bwaldvogel.mongo.bson.Document status = set.command(1, "admin", new de.bwaldvogel.mongo.bson.Document("replSetGetStatus", 1));
        assertEquals(94, ((Number) status.get("code")).intValue());
        assertEquals("NotYetInitialized", status.get("codeName"));

        de.bwaldvogel.mongo.bson.Document config = set.config(300, 3000);
        String[] dcs = {"east", "east", "west"};
        for (int i = 0; i < 3; i++) {
            ((de.bwaldvogel.mongo.bson.Document) ((List<?>) config.get("members")).get(i))
                .append("tags", new de.bwaldvogel.mongo.bson.Document("dc", dcs[i]));
        }
        ((de.bwaldvogel.mongo.bson.Document) config.get("settings")).append("getLastErrorModes",
            new de.bwaldvogel.mongo.bson.Document("disasterProof", new de.bwaldvogel.mongo.bson.Document("dc", 2)));
        de.bwaldvogel.mongo.bson.Document reply = set.initiate(config);
        assertEquals(1.0, ((Number) reply.get("ok")).doubleValue(), reply.toString());
        primary = set.awaitPrimary(Duration.ofSeconds(10));
        assertTrue(primary >= 0, "a primary within 10 s of replSetInitiate");
        // Only one seed: the driver discovers the others from hello.
        client = MongoClients.create("mongodb://" + set.host(2) + "/?replicaSet=rs1&serverSelectionTimeoutMS=10000");
    }

    @AfterAll
    static void stopSet() {
        if (client != null) {
            client.close();
        }
        if (set != null) {
            set.close();
        }
    }

    /** The current primary (elections are not what this class tests, but a loaded machine may cause one). */
    private static int primary() {
        primary = set.awaitPrimary(Duration.ofSeconds(15));
        assertTrue(primary >= 0, "a primary");
        return primary;
    }

    private static MongoClient direct(int i) {
        return MongoClients.create("mongodb://" + set.host(i) + "/?directConnection=true&readPreference=secondaryPreferred");
    }

    @Test
    void secondInitiateIsAlreadyInitialized() throws Exception {
        primary();
        de.bwaldvogel.mongo.bson.Document reply = set.command(primary, "admin",
            new de.bwaldvogel.mongo.bson.Document("replSetInitiate", set.config(250, 1000)));
        assertEquals(23, ((Number) reply.get("code")).intValue());
    }

    @Test
    void helloDescribesTheSet() {
        primary();
        Document hello = client.getDatabase("admin").runCommand(new Document("hello", 1));
        assertEquals("rs1", hello.getString("setName"));
        assertEquals(1, hello.getInteger("setVersion"));
        assertEquals(true, hello.getBoolean("isWritablePrimary"));
        assertEquals(false, hello.getBoolean("secondary"));
        assertEquals(3, hello.getList("hosts", String.class).size());
        assertEquals(set.host(primary), hello.getString("primary"));
        assertEquals(set.host(primary), hello.getString("me"));
        assertNotNull(hello.get("electionId"));
        assertNotNull(hello.get("lastWrite", Document.class).get("opTime"));
        assertNotNull(hello.get("tags", Document.class).getString("dc"));
        int secondary = (primary + 1) % 3;
        try (MongoClient direct = direct(secondary)) {
            // A secondary learns the primary from heartbeats, and is STARTUP2 until its initial sync from the primary
            // is done: right after an election, give it both.
            Poll.until(Duration.ofSeconds(5), "the secondary to name the primary", () -> {
                Document seen = direct.getDatabase("admin").runCommand(new Document("isMaster", 1));
                return set.host(primary).equals(seen.getString("primary")) && seen.getBoolean("secondary", false);
            });
            Document h = direct.getDatabase("admin").runCommand(new Document("isMaster", 1));
            assertEquals(false, h.getBoolean("ismaster"));
            assertEquals(true, h.getBoolean("secondary"));
            assertEquals(set.host(secondary), h.getString("me"));
        }
    }

    @Test
    void statusAndConfig() {
        primary();
        Poll.until(Duration.ofSeconds(5), "every member healthy in replSetGetStatus", () -> {
            Document status = client.getDatabase("admin").runCommand(new Document("replSetGetStatus", 1));
            List<Document> members = status.getList("members", Document.class);
            return members.size() == 3 && members.stream().allMatch(m -> ((Number) m.get("health")).doubleValue() == 1.0)
                && members.stream().filter(m -> "PRIMARY".equals(m.getString("stateStr"))).count() == 1
                && members.stream().filter(m -> "SECONDARY".equals(m.getString("stateStr"))).count() == 2;
        });
        Document status = client.getDatabase("admin").runCommand(new Document("replSetGetStatus", 1));
        assertEquals("rs1", status.getString("set"));
        assertEquals(1, status.getInteger("myState"));
        Document self = status.getList("members", Document.class).stream().filter(m -> m.getBoolean("self", false)).findFirst().orElseThrow();
        assertEquals(set.host(primary), self.getString("name"));
        assertNotNull(self.get("optime", Document.class).get("ts"));
        Document config = client.getDatabase("admin").runCommand(new Document("replSetGetConfig", 1)).get("config", Document.class);
        assertEquals("rs1", config.getString("_id"));
        assertEquals(3, config.getList("members", Document.class).size());
        assertEquals(3000L, ((Number) config.get("settings", Document.class).get("electionTimeoutMillis")).longValue());
    }

    @Test
    void insertsReachEverySecondary() {
        primary();
        MongoCollection<Document> coll = client.getDatabase("app").getCollection("replicated");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            docs.add(new Document("_id", i).append("v", "x" + i));
        }
        coll.insertMany(docs);
        coll.updateOne(new Document("_id", 7), new Document("$set", new Document("v", "changed")));
        coll.deleteOne(new Document("_id", 8));
        for (int i = 0; i < 3; i++) {
            if (i == primary) {
                continue;
            }
            try (MongoClient direct = direct(i)) {
                MongoCollection<Document> there = direct.getDatabase("app").getCollection("replicated");
                Poll.until(Duration.ofSeconds(10), "199 documents on member " + i, () -> there.countDocuments() == 199);
                Poll.until(Duration.ofSeconds(5), "the update on member " + i,
                    () -> "changed".equals(there.find(new Document("_id", 7)).first().getString("v")));
            }
        }
        // The oplog shows the inserts as "i" entries.
        Document entry = client.getDatabase("local").getCollection("oplog.rs").find(new Document()).into(new ArrayList<>())
            .stream().filter(e -> "app.replicated".equals(e.getString("ns")) && "i".equals(e.getString("op"))).findFirst().orElseThrow();
        assertNotNull(entry.get("ts"));
        assertNotNull(entry.get("wall"));
    }

    @Test
    void secondaryRefusesWritesAndReadsWithoutSecondaryOk() throws Exception {
        primary();
        int secondary = (primary + 1) % 3;
        de.bwaldvogel.mongo.bson.Document insert = set.command(secondary, "app",
            new de.bwaldvogel.mongo.bson.Document("insert", "refused").append("documents", List.of(new de.bwaldvogel.mongo.bson.Document("a", 1))));
        assertEquals(10107, ((Number) insert.get("code")).intValue());
        assertEquals("NotWritablePrimary", insert.get("codeName"));
        de.bwaldvogel.mongo.bson.Document find = set.command(secondary, "app", new de.bwaldvogel.mongo.bson.Document("find", "refused"));
        assertEquals(13435, ((Number) find.get("code")).intValue());
        de.bwaldvogel.mongo.bson.Document allowed = set.command(secondary, "app", new de.bwaldvogel.mongo.bson.Document("find", "refused")
            .append("$readPreference", new de.bwaldvogel.mongo.bson.Document("mode", "secondaryPreferred")));
        assertEquals(1.0, ((Number) allowed.get("ok")).doubleValue());
        // The driver, reading with a secondary read preference, gets its answer from a secondary.
        assertEquals(0, client.getDatabase("app").getCollection("refused").withReadPreference(ReadPreference.secondary()).countDocuments());
    }

    @Test
    void writeConcernNumbersMajorityAndModes() {
        MongoCollection<Document> coll = client.getDatabase("app").getCollection("acked");
        coll.withWriteConcern(WriteConcern.W2).insertOne(new Document("_id", "w2"));
        coll.withWriteConcern(WriteConcern.MAJORITY.withWTimeout(10, TimeUnit.SECONDS)).insertOne(new Document("_id", "majority"));
        coll.withWriteConcern(WriteConcern.W3.withJournal(true)).insertOne(new Document("_id", "w3"));
        coll.withWriteConcern(new WriteConcern("disasterProof").withJournal(true)).insertOne(new Document("_id", "dp"));
        // Acknowledged with w: 3 means every member has it now, without waiting.
        for (int i = 0; i < 3; i++) {
            try (MongoClient direct = direct(i)) {
                assertEquals(1, direct.getDatabase("app").getCollection("acked").countDocuments(new Document("_id", "w3")));
            }
        }
        MongoWriteConcernException tooMany = assertThrows(MongoWriteConcernException.class,
            () -> coll.withWriteConcern(new WriteConcern(5)).insertOne(new Document("_id", "w5")));
        assertEquals(100, tooMany.getWriteConcernError().getCode());
        MongoWriteConcernException unknown = assertThrows(MongoWriteConcernException.class,
            () -> coll.withWriteConcern(new WriteConcern("noSuchMode")).insertOne(new Document("_id", "unknown")));
        assertEquals(79, unknown.getWriteConcernError().getCode());
    }

    /** The connection from the user's notes, with pymongo 3.11 (Debian's); skipped where it is not installed. */
    @Test
    void pymongoWithTheNotesConnection() throws Exception {
        primary();
        java.io.File python = new java.io.File("/usr/bin/python3");
        org.junit.jupiter.api.Assumptions.assumeTrue(python.canExecute(), "/usr/bin/python3 is not installed");
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import pymongo").start();
        org.junit.jupiter.api.Assumptions.assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
            "pymongo is not installed");
        java.nio.file.Path script = java.nio.file.Files.createTempFile("replset-", ".py");
        try (var in = ReplicaSetTest.class.getResourceAsStream("/smoke/pymongo_replset.py")) {
            java.nio.file.Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "rs1",
            String.valueOf(set.member(0).port()), String.valueOf(set.member(1).port()), String.valueOf(set.member(2).port()))
            .redirectErrorStream(true).start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes());
        if (!finished) {
            p.destroyForcibly();
        }
        assertTrue(finished && p.exitValue() == 0 && out.contains("pymongo replset: ok"), out);
    }

    @Test
    void freezeOnThePrimaryIsNotSecondary() {
        primary();
        MongoCommandException e = assertThrows(MongoCommandException.class,
            () -> client.getDatabase("admin").runCommand(new Document("replSetFreeze", 10)));
        assertEquals(95, e.getErrorCode());
        int secondary = (primary + 1) % 3;
        try (MongoClient direct = direct(secondary)) {
            assertEquals(1.0, direct.getDatabase("admin").runCommand(new Document("replSetFreeze", 0)).getDouble("ok"));
        }
        assertNotEquals(-1, primary);
        assertFalse(client.getClusterDescription().getServerDescriptions().isEmpty());
    }
}
