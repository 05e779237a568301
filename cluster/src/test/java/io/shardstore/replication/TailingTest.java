package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.CursorType;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;

import io.shardstore.cluster.LocalReplicaSet;

/** local.oplog.rs read with tailable awaitData cursors: by the secondaries (no polling) and by a driver. */
class TailingTest {

    @Test
    void secondariesTailTheOplogAndSoCanAClient() throws Exception {
        try (LocalReplicaSet set = LocalReplicaSet.start("rst", 3)) {
            assertEquals(1.0, ((Number) set.initiate(set.config(200, 2000)).get("ok")).doubleValue());
            int primary = set.awaitPrimary(Duration.ofSeconds(20));
            assertTrue(primary >= 0);
            de.bwaldvogel.mongo.bson.Document first = set.command(primary, "app", new de.bwaldvogel.mongo.bson.Document("insert", "t")
                .append("documents", List.of(new de.bwaldvogel.mongo.bson.Document("_id", 0)))
                .append("writeConcern", new de.bwaldvogel.mongo.bson.Document("w", 3)));
            assertFalse(first.containsKey("writeConcernError"), first.toString());

            // Idle for 1.5 s: two tailing secondaries send a few getMores (held up to 500 ms each), no finds.
            de.bwaldvogel.mongo.bson.Document before = opcounters(set, primary);
            long idleStart = System.nanoTime();
            Poll.until(Duration.ofSeconds(5), "1.5 s of idle replication", () -> System.nanoTime() - idleStart > 1_500_000_000L);
            de.bwaldvogel.mongo.bson.Document after = opcounters(set, primary);
            long finds = count(after, "query") - count(before, "query");
            long getMores = count(after, "getmore") - count(before, "getmore");
            assertTrue(finds <= 2, "no polling finds on the oplog: " + finds);
            assertTrue(getMores >= 2 && getMores <= 20, "held getMores, not a busy loop: " + getMores);

            // A write reaches both secondaries without waiting out a poll or a getMore's maxTimeMS.
            long start = System.nanoTime();
            de.bwaldvogel.mongo.bson.Document replicated = set.command(primary, "app", new de.bwaldvogel.mongo.bson.Document("insert", "t")
                .append("documents", List.of(new de.bwaldvogel.mongo.bson.Document("_id", 1)))
                .append("writeConcern", new de.bwaldvogel.mongo.bson.Document("w", 3)));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertFalse(replicated.containsKey("writeConcernError"), replicated.toString());
            System.out.println("w:3 insert acknowledged in " + millis + " ms");

            // A driver tails the oplog through the node.
            try (MongoClient client = MongoClients.create("mongodb://" + set.host(primary) + "/?directConnection=true")) {
                Document newest = client.getDatabase("local").getCollection("oplog.rs").find()
                    .sort(new Document("$natural", -1)).limit(1).first();
                BsonTimestamp from = newest.get("ts", BsonTimestamp.class);
                try (MongoCursor<Document> tail = client.getDatabase("local").getCollection("oplog.rs")
                    .find(Filters.gt("ts", from)).cursorType(CursorType.TailableAwait)
                    .maxAwaitTime(200, TimeUnit.MILLISECONDS).iterator()) {
                    assertEquals(null, tail.tryNext(), "nothing after the newest entry yet");
                    client.getDatabase("app").getCollection("t").insertOne(new Document("_id", "tailed"));
                    AtomicReference<Document> seen = new AtomicReference<>();
                    Poll.until(Duration.ofSeconds(10), "the insert's entry on the tailable cursor", () -> {
                        Document next = tail.tryNext();
                        if (next != null && "i".equals(next.getString("op"))) {
                            seen.set(next);
                            return true;
                        }
                        return false;
                    });
                    assertEquals("app.t", seen.get().getString("ns"));
                    assertEquals("tailed", seen.get().get("o", Document.class).get("_id"));
                }
            }
        }
    }

    private static de.bwaldvogel.mongo.bson.Document opcounters(LocalReplicaSet set, int member) throws java.io.IOException {
        return (de.bwaldvogel.mongo.bson.Document) set.command(member, "admin",
            new de.bwaldvogel.mongo.bson.Document("serverStatus", 1)).get("opcounters");
    }

    private static long count(de.bwaldvogel.mongo.bson.Document counters, String name) {
        return ((Number) counters.get(name)).longValue();
    }
}
