package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

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

import io.shardstore.cluster.LocalReplicaSet;
import io.shardstore.replication.Poll;
import io.shardstore.router.Router;
import io.shardstore.router.RouterOptions;
import io.shardstore.testkit.NodeProcess;
import io.shardstore.testkit.ProcessReplicaSet;

/**
 * A resharding interrupted by kill -9 of the config server's primary (issue 14, item 4): the config servers are OS
 * processes of a 3-member set, the shards 3-member sets; the client's reshardCollection, through the router, ends with
 * the outcome the new primary gives it (undone when killed during the copy, completed when killed after the persisted
 * decision, with the donors' writes held meanwhile), the operation leaves nothing
 * behind (no temporary collection, no held writes, no reshardingFields), and every acknowledged insert is there once.
 */
class ReshardingConfigFailoverTest {
    private static final int DOCUMENTS = 30_000;

    private static ProcessReplicaSet config;
    private static final List<LocalReplicaSet> shards = new ArrayList<>();
    private static Router router;
    private static MongoClient client;
    private static MongoDatabase admin;

    @BeforeAll
    static void start() throws Exception {
        // The coordinator waits 5 s between persisting its decision and committing (a test hook), so that a kill can
        // land after the decision for sure.
        config = ProcessReplicaSet.start("cfg", 3, NodeProcess.CONFIG_SERVER,
            List.of("-Dshardstore.test.reshardingPauseAfterDecisionMillis=5000"));
        config.initiate(200, 1_000);
        assertTrue(config.awaitPrimary(Duration.ofSeconds(30)) >= 0, "a config primary");
        for (int i = 0; i < 2; i++) {
            LocalReplicaSet set = LocalReplicaSet.start("shard" + i, 3);
            set.initiateAndAwaitPrimary(set.config(200, 1_000), Duration.ofSeconds(30));
            shards.add(set);
        }
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < config.size(); i++) {
            hosts.add(config.host(i));
        }
        router = Router.start(RouterOptions.of("cfg/" + String.join(",", hosts), 0));
        client = MongoClients.create("mongodb://127.0.0.1:" + router.port());
        admin = client.getDatabase("admin");
        Poll.until(Duration.ofSeconds(30), "the shards added", () -> {
            try {
                for (int i = 0; i < shards.size(); i++) {
                    admin.runCommand(new Document("addShard", shards.get(i).seedList()).append("name", "shard" + i));
                }
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (router != null) {
            router.close();
        }
        for (LocalReplicaSet s : shards) {
            s.close();
        }
        if (config != null) {
            config.close();
        }
    }

    private static MongoCollection<Document> seeded(String db, String coll) {
        admin.runCommand(new Document("enableSharding", db));
        admin.runCommand(new Document("shardCollection", db + "." + coll).append("key", new Document("_id", "hashed")));
        MongoCollection<Document> c = client.getDatabase(db).getCollection(coll);
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            batch.add(new Document("_id", i).append("k", i % 997).append("n", i));
            if (batch.size() == 5_000) {
                c.insertMany(batch);
                batch.clear();
            }
        }
        return c;
    }

    /** Waits until the operation on {@code ns} is in one of {@code states} (read on the config primary), then kills that primary. */
    private static String killConfigPrimaryWhenIn(String ns, Set<String> states) throws Exception {
        int primary = config.awaitPrimary(Duration.ofSeconds(30));
        try (MongoClient direct = MongoClients.create("mongodb://" + config.host(primary) + "/?directConnection=true")) {
            MongoCollection<Document> ops = direct.getDatabase("config").getCollection("reshardingOperations");
            AtomicReference<String> seen = new AtomicReference<>();
            Poll.until(Duration.ofSeconds(120), "the resharding of " + ns + " in " + states, () -> {
                Document op = ops.find(Filters.eq("ns", ns)).first();
                if (op != null && states.contains(op.getString("state"))) {
                    seen.set(op.getString("state"));
                    return true;
                }
                return false;
            });
            config.kill9(primary);
            config.restart(primary);
            return seen.get();
        }
    }

    private void interruptAndCheck(String db, Set<String> killIn, boolean expectCompleted) throws Exception {
        MongoCollection<Document> coll = seeded(db, "items");
        String ns = db + ".items";
        Set<Integer> inserted = ConcurrentHashMap.newKeySet();
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = DOCUMENTS; !stop.get(); i++) {
                try {
                    coll.insertOne(new Document("_id", i).append("k", i % 997).append("n", i));
                    inserted.add(i);
                } catch (RuntimeException e) {
                    problems.add("insert " + i + ": " + e);
                }
            }
        }, "writer");
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread resharding = new Thread(() -> {
            try {
                outcome.set(admin.runCommand(new Document("reshardCollection", ns).append("key", new Document("k", 1).append("n", 1))));
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "resharding");
        writer.start();
        resharding.start();
        String killedIn;
        try {
            killedIn = killConfigPrimaryWhenIn(ns, killIn);
            resharding.join(180_000);
            assertTrue(!resharding.isAlive(), "reshardCollection answered after the config primary's kill -9");
        } finally {
            stop.set(true);
            writer.join(60_000);
        }
        Object result = outcome.get();
        boolean completed = result instanceof Document;
        assertEquals(expectCompleted, completed, "killed while " + killedIn + ", the operation " + (expectCompleted
            ? "completes" : "is undone") + ": " + result);
        if (!completed) {
            assertTrue(result instanceof MongoCommandException, "reshardCollection failed with a server error: " + result);
            assertEquals(341, ((MongoCommandException) result).getErrorCode(), "undone: ReshardCollectionAborted, " + result);
        }
        Document collection = client.getDatabase("config").getCollection("collections").find(Filters.eq("_id", ns)).first();
        assertEquals(completed ? new Document("k", 1).append("n", 1) : new Document("_id", "hashed"), collection.get("key"));
        assertNull(collection.get("reshardingFields"));
        assertEquals(0, client.getDatabase("config").getCollection("reshardingOperations").countDocuments(Filters.eq("ns", ns)));
        assertTrue(problems.isEmpty(), "writes failed: " + problems.subList(0, Math.min(5, problems.size())));
        // Writes are not held anywhere: one more goes through at once.
        coll.insertOne(new Document("_id", -1).append("k", 1).append("n", -1));
        Map<Integer, Integer> seen = new HashMap<>();
        for (Document d : coll.find()) {
            seen.merge(d.getInteger("_id"), 1, Integer::sum);
        }
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            if (seen.getOrDefault(i, 0) != 1) {
                wrong.add(i + " seen " + seen.getOrDefault(i, 0) + " times");
            }
        }
        for (int i : inserted) {
            if (seen.getOrDefault(i, 0) != 1) {
                wrong.add("acknowledged " + i + " seen " + seen.getOrDefault(i, 0) + " times");
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " wrong: " + wrong.subList(0, Math.min(10, wrong.size())));
        long onShards = 0;
        for (LocalReplicaSet s : shards) {
            try (MongoClient shard = MongoClients.create(s.uri())) {
                onShards += shard.getDatabase(db).getCollection("items").countDocuments();
                for (String name : shard.getDatabase(db).listCollectionNames()) {
                    assertTrue(!name.startsWith("resharding."), "temporary collection left: " + name);
                }
            }
        }
        assertEquals(seen.size(), onShards, "documents on the shards: nothing lost, no orphan");
        System.out.printf("config primary killed while the resharding of %s was %s: %s; %,d inserts during it%n", ns, killedIn,
            completed ? "completed" : "undone (ReshardCollectionAborted)", inserted.size());
    }

    @Test
    void killedWhileCopyingTheOperationIsUndone() throws Exception {
        interruptAndCheck("kc", Set.of("cloning"), false);
    }

    @Test
    void killedAfterTheDecisionTheNewPrimaryCompletesIt() throws Exception {
        interruptAndCheck("kd", Set.of("committing"), true);
    }
}
