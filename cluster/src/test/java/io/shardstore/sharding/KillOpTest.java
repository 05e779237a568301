package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.shardstore.cluster.LocalCluster;

/**
 * killOp through the router, as mongos takes it: {@code $currentOp} lists each shard operation's opid as
 * {@code "<shard>:<opid>"}, killOp with that string reaches the shard's primary, and the read stops at its next yield
 * point with Interrupted (11601). It answered CommandNotFound (59) before; a runaway query could only be waited out.
 * Replica-set shards, the Java driver's defaults.
 */
class KillOpTest {
    private static final int DOCS = 6_000;
    private static LocalCluster cluster;
    private static MongoClient router;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().shards(1).members(3).configMembers(1).start();
        router = MongoClients.create(cluster.uri());
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            docs.add(new Document("_id", i).append("k", i % 100));
        }
        router.getDatabase("ops").getCollection("c").insertMany(docs);
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        io.shardstore.testkit.Topology.checkAndClose(cluster);
    }

    /** A self-join on a field no document has: every document scans the whole collection (DOCS x DOCS visits). */
    private static Document slowAggregate() {
        return new Document("aggregate", "c").append("pipeline", List.of(
                new Document("$lookup", new Document("from", "c").append("localField", "k").append("foreignField", "nowhere").append("as", "m")),
                new Document("$count", "n")))
            .append("cursor", new Document()).append("maxTimeMS", 120_000).append("comment", "kill-me");
    }

    @Test
    void aRunningReadListedByCurrentOpIsKilledThroughTheRouter() throws Exception {
        MongoDatabase db = router.getDatabase("ops");
        long t0 = System.nanoTime();
        CompletableFuture<Document> slow = CompletableFuture.supplyAsync(() -> db.runCommand(slowAggregate()));
        String opid = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (opid == null && System.nanoTime() < deadline && !slow.isDone()) {
            List<Document> ops = router.getDatabase("admin").aggregate(List.of(new Document("$currentOp", new Document()),
                new Document("$match", new Document("command.comment", "kill-me")))).into(new ArrayList<>());
            if (!ops.isEmpty()) {
                assertTrue(ops.get(0).get("opid") instanceof String, "mongos's format: " + ops.get(0).toJson());
                opid = ops.get(0).getString("opid");
            }
        }
        assertTrue(opid != null, "the aggregation shows in $currentOp while it runs (done early: " + slow.isDone() + ")");
        assertTrue(opid.startsWith(ops0Shard() + ":"), opid);

        Document killed = router.getDatabase("admin").runCommand(new Document("killOp", 1).append("op", opid));
        assertEquals(1.0, killed.get("ok", Number.class).doubleValue(), killed.toJson());
        assertEquals(ops0Shard(), killed.getString("shard"));
        assertEquals(Integer.parseInt(opid.substring(opid.indexOf(':') + 1)), killed.getInteger("shardid"));

        Exception failure = assertThrows(Exception.class, () -> slow.get(60, TimeUnit.SECONDS));
        MongoCommandException e = (MongoCommandException) failure.getCause();
        assertEquals(11601, e.getErrorCode(), e.getMessage());
        assertEquals("Interrupted", e.getErrorCodeName());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("the aggregation was killed %d ms after it started%n", millis);
    }

    private static String ops0Shard() {
        return router.getDatabase("config").getCollection("databases").find(new Document("_id", "ops")).first().getString("primary");
    }

    @Test
    void killOpAnswersMongosErrorsForABadOp() {
        MongoDatabase admin = router.getDatabase("admin");
        assertEquals(50759, code(() -> admin.runCommand(new Document("killOp", 1))));
        assertEquals(28625, code(() -> admin.runCommand(new Document("killOp", 1).append("op", "nocolon"))));
        assertEquals(28625, code(() -> admin.runCommand(new Document("killOp", 1).append("op", "shard0:"))));
        assertEquals(70, code(() -> admin.runCommand(new Document("killOp", 1).append("op", "nosuchshard:12"))));
        assertEquals(9, code(() -> admin.runCommand(new Document("killOp", 1).append("op", ops0Shard() + ":x"))));
        assertEquals(50760, code(() -> admin.runCommand(new Document("killOp", 1).append("op", new Document()))));
        assertEquals(13, code(() -> router.getDatabase("ops").runCommand(new Document("killOp", 1).append("op", ops0Shard() + ":1"))));
        // A number names an operation of the router itself (mongos's own ops); the router has none to kill.
        assertEquals(1.0, admin.runCommand(new Document("killOp", 1).append("op", 12345)).get("ok", Number.class).doubleValue());
        // An op that has finished: success, as mongos answers whatever the shard says.
        assertEquals(1.0, admin.runCommand(new Document("killOp", 1).append("op", ops0Shard() + ":1")).get("ok", Number.class).doubleValue());
    }

    private static int code(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(MongoCommandException.class, call).getErrorCode();
    }
}
