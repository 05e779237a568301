package io.shardstore.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.node.NodeOptions;
import io.shardstore.node.ShardNode;

/**
 * The failCommand fail point (issue 13: configureFailPoint behind enableTestCommands, as mongod and mongos), driven
 * with the Java driver's default options, as the drivers' own test suites drive it: through the router (where a
 * retryable write failing with a transient code is labelled and retried by the driver, exactly once stored) and on a
 * node; without enableTestCommands the command does not exist.
 */
class FailCommandTest {
    private static LocalCluster cluster;
    private static ShardNode plainNode;
    private static ShardNode testNode;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().shards(1).members(3).testCommands(true).start(); // what users run: replica-set shards
        plainNode = ShardNode.start(NodeOptions.inMemory(0));
        testNode = ShardNode.start(NodeOptions.inMemory(0).withTestCommands(true));
    }

    @AfterAll
    static void stop() {
        cluster.close();
        plainNode.close();
        testNode.close();
    }

    private static MongoClient client(String uri, String appName) {
        return MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri))
            .applicationName(appName).build());
    }

    private static String nodeUri(ShardNode node) {
        return "mongodb://127.0.0.1:" + node.port() + "/?directConnection=true";
    }

    private static Document failPoint(MongoClient client, Object mode, Document data) {
        return client.getDatabase("admin").runCommand(new Document("configureFailPoint", "failCommand").append("mode", mode)
            .append("data", data));
    }

    @Test
    void withoutEnableTestCommandsThereIsNoSuchCommand() {
        try (MongoClient client = client(nodeUri(plainNode), "plain")) {
            MongoCommandException e = assertThrows(MongoCommandException.class, () -> failPoint(client, "alwaysOn",
                new Document("failCommands", List.of("find")).append("errorCode", 2)));
            assertEquals(59, e.getErrorCode());
            assertEquals(false, client.getDatabase("admin").runCommand(new Document("getParameter", 1).append("enableTestCommands", 1))
                .getBoolean("enableTestCommands"));
        }
    }

    @Test
    void aTransientErrorOnARetryableWriteIsLabelledAndTheDriversRetryStoresItOnce() {
        try (MongoClient client = client(cluster.uri(), "retrying")) {
            MongoCollection<Document> c = client.getDatabase("fp").getCollection("retry");
            c.drop();
            failPoint(client, new Document("times", 1), new Document("failCommands", List.of("insert")).append("errorCode", 91)
                .append("appName", "retrying"));
            c.insertOne(new Document("_id", 1)); // fails once with ShutdownInProgress, labelled, retried by the driver
            assertEquals(1, c.countDocuments());
            Document off = failPoint(client, "off", new Document());
            assertEquals(1L, off.get("count", Number.class).longValue(), "the fail point was entered once");
        }
    }

    @Test
    void anErrorCodeIsAnsweredAsToldThenTheFailPointLetsGo() {
        for (String uri : List.of(cluster.uri(), nodeUri(testNode))) {
            try (MongoClient client = client(uri, "counting")) {
                MongoCollection<Document> c = client.getDatabase("fp").getCollection("codes");
                c.drop();
                c.insertOne(new Document("_id", 1));
                failPoint(client, new Document("times", 2), new Document("failCommands", List.of("count", "aggregate"))
                    .append("errorCode", 2).append("errorLabels", List.of("MyLabel")));
                MongoCommandException e = assertThrows(MongoCommandException.class, () -> c.countDocuments());
                assertEquals(2, e.getErrorCode(), uri);
                assertTrue(e.hasErrorLabel("MyLabel"), e.getResponse().toJson());
                assertEquals(2, assertThrows(MongoCommandException.class, () -> c.countDocuments()).getErrorCode());
                assertEquals(1, c.countDocuments(), "times: 2 used up: " + uri);
            }
        }
    }

    @Test
    void aWriteConcernErrorIsAddedAfterTheWriteRan() {
        for (String uri : List.of(cluster.uri(), nodeUri(testNode))) {
            try (MongoClient client = client(uri, "wce")) {
                MongoCollection<Document> c = client.getDatabase("fp").getCollection("wce");
                c.drop();
                failPoint(client, new Document("times", 1), new Document("failCommands", List.of("insert"))
                    .append("writeConcernError", new Document("code", 100).append("codeName", "UnsatisfiableWriteConcern")
                        .append("errmsg", "Not enough data-bearing nodes")));
                MongoWriteConcernException e = assertThrows(MongoWriteConcernException.class, () -> c.insertOne(new Document("_id", 7)));
                assertEquals(100, e.getWriteConcernError().getCode(), uri);
                assertEquals(1, c.countDocuments(), "the write ran: " + uri);
            }
        }
    }

    @Test
    void aClosedConnectionIsRetriedByTheDriversRetryableRead() {
        try (MongoClient client = client(cluster.uri(), "closing")) {
            MongoCollection<Document> c = client.getDatabase("fp").getCollection("close");
            c.drop();
            c.insertOne(new Document("_id", 1));
            failPoint(client, new Document("times", 1), new Document("failCommands", List.of("find")).append("closeConnection", true)
                .append("appName", "closing"));
            assertEquals(1, c.find().first().getInteger("_id"), "retried once on a new connection");
            assertEquals(1L, failPoint(client, "off", new Document()).get("count", Number.class).longValue(),
                "entered by the one closed find, not by its retry");
        }
    }

    @Test
    void blockConnectionDelaysOnlyTheNamedApplication() {
        try (MongoClient slow = client(cluster.uri(), "slow"); MongoClient other = client(cluster.uri(), "other")) {
            slow.getDatabase("fp").runCommand(new Document("ping", 1));
            other.getDatabase("fp").runCommand(new Document("ping", 1));
            failPoint(other, new Document("times", 1), new Document("failCommands", List.of("ping")).append("blockConnection", true)
                .append("blockTimeMS", 400).append("appName", "slow"));
            long t0 = System.nanoTime();
            other.getDatabase("fp").runCommand(new Document("ping", 1));
            long otherMillis = (System.nanoTime() - t0) / 1_000_000;
            t0 = System.nanoTime();
            slow.getDatabase("fp").runCommand(new Document("ping", 1));
            long slowMillis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(slowMillis >= 380, "blocked for blockTimeMS: " + slowMillis + " ms");
            assertTrue(otherMillis < slowMillis, "another application's ping was not held: " + otherMillis + " ms");
        }
    }

    @Test
    void aBadModeIsRefused() {
        try (MongoClient client = client(cluster.uri(), "bad")) {
            failPoint(client, "off", new Document()); // counting starts here
            assertEquals(2, assertThrows(MongoCommandException.class,
                () -> failPoint(client, "sometimes", new Document("failCommands", List.of("find")).append("errorCode", 2))).getErrorCode());
            assertEquals(2, assertThrows(MongoCommandException.class,
                () -> failPoint(client, "alwaysOn", new Document("errorCode", 2))).getErrorCode(), "no failCommands");
            client.getDatabase("fp").runCommand(new Document("ping", 1)); // a refused configuration turned nothing on
            assertEquals(0L, failPoint(client, "off", new Document()).get("count", Number.class).longValue());
        }
    }
}
