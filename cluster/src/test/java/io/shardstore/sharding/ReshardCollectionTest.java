package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
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
import com.mongodb.client.model.Updates;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.replication.Poll;

/**
 * reshardCollection (issue 14, item 4) on 3-member shards with the Java driver's defaults (retryable writes on): a
 * collection resharded under insert, update and read load keeps every acknowledged write exactly once under the new
 * key, reads never see a document twice or miss one, and the longest write pause is measured; abortReshardCollection
 * leaves the collection as it was; zones given with the command place the new chunks.
 */
class ReshardCollectionTest {
    /** 20,000 in the default run (the whole cluster shares the test JVM's heap); 100,000 with -Dreshard.documents=100000. */
    private static final int DOCUMENTS = Integer.getInteger("reshard.documents", 20_000);
    private static final int STABLE = 1_000;

    private static LocalCluster cluster;
    private static MongoClient client;
    private static MongoDatabase admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().shards(2).members(3).configMembers(1).balancerIntervalMillis(200).start();
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

    private static MongoCollection<Document> seeded(String db, String coll, int n) {
        admin.runCommand(new Document("enableSharding", db));
        admin.runCommand(new Document("shardCollection", db + "." + coll).append("key", new Document("_id", "hashed")));
        MongoCollection<Document> c = client.getDatabase(db).getCollection(coll);
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(doc(i));
            if (batch.size() == 5_000) {
                c.insertMany(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            c.insertMany(batch);
        }
        return c;
    }

    private static Document doc(int i) {
        return new Document("_id", i).append("customer", "c" + (i * 7919 % 4_000)).append("seq", i).append("stable", i < STABLE)
            .append("v", 0);
    }

    @Test
    void reshardsUnderLoadWithEveryWriteExactlyOnce() throws Exception {
        MongoCollection<Document> orders = seeded("rs", "orders", DOCUMENTS);
        Document before = client.getDatabase("config").getCollection("collections").find(Filters.eq("_id", "rs.orders")).first();

        AtomicBoolean stop = new AtomicBoolean();
        List<String> problems = new CopyOnWriteArrayList<>();
        Set<Integer> inserted = ConcurrentHashMap.newKeySet();
        Map<Integer, AtomicInteger> increments = new ConcurrentHashMap<>();
        AtomicLong longestWrite = new AtomicLong();
        AtomicInteger reads = new AtomicInteger();
        List<Thread> load = new ArrayList<>();
        load.add(new Thread(() -> {
            for (int i = DOCUMENTS; !stop.get(); i++) {
                long t0 = System.nanoTime();
                try {
                    orders.insertOne(doc(i));
                    inserted.add(i);
                } catch (RuntimeException e) {
                    problems.add("insert " + i + ": " + e);
                }
                longestWrite.accumulateAndGet(System.nanoTime() - t0, Math::max);
            }
        }, "inserter"));
        load.add(new Thread(() -> {
            Random random = new Random(3);
            while (!stop.get()) {
                int id = random.nextInt(DOCUMENTS);
                long t0 = System.nanoTime();
                try {
                    if (orders.updateOne(Filters.eq("_id", id), Updates.inc("v", 1)).getModifiedCount() == 1) {
                        increments.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    } else {
                        problems.add("update of " + id + " matched nothing");
                    }
                } catch (RuntimeException e) {
                    problems.add("update " + id + ": " + e);
                }
                longestWrite.accumulateAndGet(System.nanoTime() - t0, Math::max);
            }
        }, "updater"));
        load.add(new Thread(() -> {
            while (!stop.get()) {
                try {
                    List<Integer> ids = orders.find(Filters.eq("stable", true)).map(d -> d.getInteger("_id")).into(new ArrayList<>());
                    if (ids.size() != STABLE || new HashSet<>(ids).size() != STABLE) {
                        problems.add("a read of the " + STABLE + " stable documents saw " + ids.size() + " (" + new HashSet<>(ids).size() + " distinct)");
                    }
                    long counted = orders.countDocuments(Filters.eq("stable", true));
                    if (counted != STABLE) {
                        problems.add("count of the stable documents: " + counted);
                    }
                    reads.incrementAndGet();
                } catch (RuntimeException e) {
                    problems.add("read: " + e);
                }
            }
        }, "reader"));
        AtomicReference<Document> progress = new AtomicReference<>();
        Thread watcher = new Thread(() -> {
            while (!stop.get()) {
                try {
                    for (Document op : admin.aggregate(List.of(new Document("$currentOp", new Document("allUsers", true).append("localOps", false)),
                        new Document("$match", new Document("type", "op").append("originatingCommand.reshardCollection", "rs.orders"))))) {
                        progress.set(op);
                    }
                } catch (RuntimeException e) {
                    problems.add("$currentOp: " + e);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
            }
        }, "watcher");
        load.forEach(Thread::start);
        Poll.until(Duration.ofSeconds(30), "some load before resharding", () -> reads.get() > 2 && inserted.size() > 20);
        longestWrite.set(0);
        watcher.start();
        long t0 = System.nanoTime();
        Document reply;
        long reshardMillis;
        long pauseDuring;
        try {
            reply = admin.runCommand(new Document("reshardCollection", "rs.orders").append("key", new Document("customer", 1).append("seq", 1)));
            reshardMillis = (System.nanoTime() - t0) / 1_000_000;
            pauseDuring = longestWrite.get();
            int readsAtEnd = reads.get();
            Poll.until(Duration.ofSeconds(30), "load after resharding", () -> reads.get() > readsAtEnd + 2);
        } finally {
            stop.set(true);
            for (Thread t : load) {
                t.join(60_000);
            }
            watcher.join(10_000);
        }
        assertEquals(1.0, reply.get("ok", Number.class).doubleValue());
        assertTrue(problems.isEmpty(), "problems under load: " + problems.subList(0, Math.min(10, problems.size())));

        Document after = client.getDatabase("config").getCollection("collections").find(Filters.eq("_id", "rs.orders")).first();
        assertEquals(new Document("customer", 1).append("seq", 1), after.get("key"));
        assertNotEquals(before.get("uuid"), after.get("uuid"));
        assertNotEquals(before.get("lastmodEpoch"), after.get("lastmodEpoch"));
        assertNull(after.get("reshardingFields"));
        assertEquals(0, client.getDatabase("config").getCollection("reshardingOperations").countDocuments());

        // Every acknowledged write exactly once, with every acknowledged increment.
        Map<Integer, Integer> seen = new java.util.HashMap<>();
        for (Document d : orders.find()) {
            seen.merge(d.getInteger("_id"), 1, Integer::sum);
        }
        List<String> wrong = new ArrayList<>();
        seen.forEach((id, n) -> {
            if (n != 1) {
                wrong.add(id + " seen " + n + " times");
            }
        });
        for (int i = 0; i < DOCUMENTS; i++) {
            if (!seen.containsKey(i)) {
                wrong.add("seeded " + i + " missing");
            }
        }
        for (int id : inserted) {
            if (!seen.containsKey(id)) {
                wrong.add("acknowledged insert " + id + " missing");
            }
        }
        for (Document d : orders.find(Filters.gt("v", 0))) {
            AtomicInteger expected = increments.get(d.getInteger("_id"));
            if (expected == null || expected.get() != d.getInteger("v")) {
                wrong.add(d.getInteger("_id") + ": v " + d.getInteger("v") + ", acknowledged increments " + expected);
            }
        }
        long incremented = increments.values().stream().filter(a -> a.get() > 0).count();
        assertEquals(incremented, orders.countDocuments(Filters.gt("v", 0)), "documents with increments");
        assertTrue(wrong.isEmpty(), wrong.size() + " wrong: " + wrong.subList(0, Math.min(10, wrong.size())));
        assertEquals(DOCUMENTS + inserted.size(), seen.size());

        // Each shard holds exactly the documents its chunks own under the new key: nothing left of the old layout.
        long onShards = 0;
        for (int s = 0; s < 2; s++) {
            try (MongoClient shard = MongoClients.create(cluster.shardUri(s))) {
                onShards += shard.getDatabase("rs").getCollection("orders").countDocuments();
                for (String name : shard.getDatabase("rs").listCollectionNames()) {
                    assertTrue(!name.startsWith("resharding."), "temporary collection left: " + name);
                }
            }
        }
        assertEquals(seen.size(), onShards, "documents on the shards (orphans or losses)");
        // A query on the new key goes to one shard.
        Document explain = client.getDatabase("rs").runCommand(new Document("explain",
            new Document("find", "orders").append("filter", new Document("customer", "c1").append("seq", 1))));
        assertEquals(1, ((Document) explain.get("queryPlanner")).get("winningPlan", Document.class).getList("shards", Document.class).size(),
            "a query on the new key targets one shard: " + explain.toJson());
        assertTrue(progress.get() != null, "$currentOp showed the operation while it ran");
        assertEquals("ReshardingCoordinator", progress.get().getString("desc"));
        assertTrue(progress.get().containsKey("documentsCopied") && progress.get().containsKey("remainingOperationTimeEstimatedSecs"));
        System.out.printf("reshardCollection of %,d documents under load: %,d ms; longest write during it %.0f ms; "
            + "%,d inserts, %,d documents updated, %,d reads of the stable set%n", DOCUMENTS, reshardMillis, pauseDuring / 1e6,
            inserted.size(), incremented, reads.get());
        assertTrue(pauseDuring < 10_000_000_000L, "longest write pause " + pauseDuring / 1e6 + " ms");
    }

    @Test
    void abortLeavesTheCollectionAsItWas() throws Exception {
        MongoCollection<Document> coll = seeded("ab", "items", 30_000);
        Document before = client.getDatabase("config").getCollection("collections").find(Filters.eq("_id", "ab.items")).first();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread resharding = new Thread(() -> {
            try {
                admin.runCommand(new Document("reshardCollection", "ab.items").append("key", new Document("seq", 1)));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        resharding.start();
        Poll.until(Duration.ofSeconds(30), "the operation to start", () ->
            client.getDatabase("config").getCollection("reshardingOperations").countDocuments(Filters.eq("ns", "ab.items")) == 1);
        Document abort = admin.runCommand(new Document("abortReshardCollection", "ab.items"));
        assertEquals(1.0, abort.get("ok", Number.class).doubleValue());
        resharding.join(60_000);
        assertTrue(outcome.get() instanceof MongoCommandException, "reshardCollection failed: " + outcome.get());
        assertEquals(341, ((MongoCommandException) outcome.get()).getErrorCode());
        assertEquals("ReshardCollectionAborted", ((MongoCommandException) outcome.get()).getErrorCodeName());

        Document after = client.getDatabase("config").getCollection("collections").find(Filters.eq("_id", "ab.items")).first();
        assertEquals(before.get("uuid"), after.get("uuid"));
        assertEquals(new Document("_id", "hashed"), after.get("key"));
        assertNull(after.get("reshardingFields"));
        assertEquals(30_000, coll.countDocuments());
        for (int s = 0; s < 2; s++) {
            try (MongoClient shard = MongoClients.create(cluster.shardUri(s))) {
                for (String name : shard.getDatabase("ab").listCollectionNames()) {
                    assertTrue(!name.startsWith("resharding."), "temporary collection left: " + name);
                }
            }
        }
        MongoCommandException none = assertThrows(MongoCommandException.class,
            () -> admin.runCommand(new Document("abortReshardCollection", "ab.items")));
        assertEquals(339, none.getErrorCode());
        // Writes and chunk moves go on as before.
        coll.insertOne(doc(1_000_000));
        assertEquals(30_001, coll.countDocuments());
    }

    @Test
    void droppingTheCollectionAbortsItsResharding() throws Exception {
        MongoCollection<Document> coll = seeded("dr", "items", 30_000);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread resharding = new Thread(() -> {
            try {
                admin.runCommand(new Document("reshardCollection", "dr.items").append("key", new Document("seq", 1)));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        resharding.start();
        Poll.until(Duration.ofSeconds(30), "the operation to start", () ->
            client.getDatabase("config").getCollection("reshardingOperations").countDocuments(Filters.eq("ns", "dr.items")) == 1);
        coll.drop();
        resharding.join(60_000);
        assertTrue(outcome.get() instanceof MongoCommandException, "reshardCollection failed: " + outcome.get());
        assertEquals(341, ((MongoCommandException) outcome.get()).getErrorCode());
        assertNull(client.getDatabase("config").getCollection("collections").find(Filters.eq("_id", "dr.items")).first(),
            "the dropped collection stays dropped");
        assertEquals(0, coll.countDocuments());
        for (int s = 0; s < 2; s++) {
            try (MongoClient shard = MongoClients.create(cluster.shardUri(s))) {
                for (String name : shard.getDatabase("dr").listCollectionNames()) {
                    assertTrue(!name.startsWith("resharding.") && !name.equals("items"), "left on shard" + s + ": " + name);
                }
            }
        }
    }

    @Test
    void refusalsCarryMongoDBsCodes() {
        admin.runCommand(new Document("enableSharding", "rf"));
        client.getDatabase("rf").getCollection("plain").insertOne(new Document("a", 1));
        MongoCommandException unsharded = assertThrows(MongoCommandException.class, () -> admin.runCommand(
            new Document("reshardCollection", "rf.plain").append("key", new Document("a", 1))));
        assertEquals(118, unsharded.getErrorCode());
        admin.runCommand(new Document("shardCollection", "rf.keyed").append("key", new Document("a", 1)));
        // The same key: nothing to do, as mongod 7.0 answers.
        assertEquals(1.0, admin.runCommand(new Document("reshardCollection", "rf.keyed").append("key", new Document("a", 1)))
            .get("ok", Number.class).doubleValue());
        MongoCommandException unique = assertThrows(MongoCommandException.class, () -> admin.runCommand(
            new Document("reshardCollection", "rf.keyed").append("key", new Document("b", 1)).append("unique", true)));
        assertEquals(2, unique.getErrorCode());
        MongoCommandException noKey = assertThrows(MongoCommandException.class, () -> admin.runCommand(
            new Document("reshardCollection", "rf.keyed")));
        assertEquals(14, noKey.getErrorCode());
        MongoCommandException notAdmin = assertThrows(MongoCommandException.class, () -> client.getDatabase("rf").runCommand(
            new Document("reshardCollection", "rf.keyed").append("key", new Document("b", 1))));
        assertEquals(13, notAdmin.getErrorCode());
        MongoCommandException noZone = assertThrows(MongoCommandException.class, () -> admin.runCommand(
            new Document("reshardCollection", "rf.keyed").append("key", new Document("b", 1)).append("zones", List.of(
                new Document("zone", "nowhere").append("min", new Document("b", new BsonMinKey())).append("max", new Document("b", 0))))));
        assertEquals(177, noZone.getErrorCode());
    }

    @Test
    void zonesGivenWithTheCommandPlaceTheNewChunks() {
        MongoCollection<Document> coll = seeded("zn", "events", 2_000);
        admin.runCommand(new Document("addShardToZone", "shard0").append("zone", "early"));
        admin.runCommand(new Document("addShardToZone", "shard1").append("zone", "late"));
        admin.runCommand(new Document("reshardCollection", "zn.events").append("key", new Document("seq", 1)).append("zones", List.of(
            new Document("zone", "early").append("min", new Document("seq", new BsonMinKey())).append("max", new Document("seq", 1_000)),
            new Document("zone", "late").append("min", new Document("seq", 1_000)).append("max", new Document("seq", new BsonMaxKey())))));
        MongoDatabase config = client.getDatabase("config");
        Document collection = config.getCollection("collections").find(Filters.eq("_id", "zn.events")).first();
        for (Document chunk : config.getCollection("chunks").find(Filters.eq("uuid", collection.get("uuid")))) {
            Object max = ((Document) chunk.get("max")).get("seq");
            boolean early = max instanceof Integer m && m <= 1_000;
            assertEquals(early ? "shard0" : "shard1", chunk.getString("shard"), "chunk " + chunk.toJson());
        }
        assertEquals(2, config.getCollection("tags").countDocuments(Filters.eq("ns", "zn.events")));
        try (MongoClient shard0 = MongoClients.create(cluster.shardUri(0))) {
            assertEquals(1_000, shard0.getDatabase("zn").getCollection("events").countDocuments());
            assertEquals(0, shard0.getDatabase("zn").getCollection("events").countDocuments(Filters.gte("seq", 1_000)));
        }
        assertEquals(2_000, coll.countDocuments());
    }
}
