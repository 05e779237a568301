package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.shardstore.cluster.LocalReplicaSet;

/**
 * Elections with electionTimeoutMillis 1000 and heartbeatIntervalMillis 250: a closed primary, replSetStepDown. In the
 * default run since stalls no longer cause spurious step-downs (it passed 7 runs in a row at load average 13-30).
 */
class FailoverTest {

    private static LocalReplicaSet startSet() throws Exception {
        LocalReplicaSet set = LocalReplicaSet.start("rsf", 3);
        de.bwaldvogel.mongo.bson.Document reply = set.initiate(set.config(250, 1000));
        assertEquals(1.0, ((Number) reply.get("ok")).doubleValue(), reply.toString());
        return set;
    }

    @Test
    void newPrimaryAfterThePrimaryStops() throws Exception {
        try (LocalReplicaSet set = startSet();
             MongoClient client = MongoClients.create(set.uri() + "&serverSelectionTimeoutMS=20000")) {
            int old = set.awaitPrimary(Duration.ofSeconds(15));
            assertTrue(old >= 0, "a first primary");
            MongoCollection<Document> coll = client.getDatabase("app").getCollection("failover")
                .withWriteConcern(WriteConcern.MAJORITY);
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                docs.add(new Document("_id", i));
            }
            coll.insertMany(docs); // acknowledged by a majority: must survive the failover

            long stoppedAt = System.nanoTime();
            set.stop(old);
            int next = set.awaitPrimary(Duration.ofSeconds(15), old);
            long millis = (System.nanoTime() - stoppedAt) / 1_000_000;
            assertTrue(next >= 0, "a new primary after the old one stopped");
            assertNotEquals(old, next);
            System.out.println("new primary " + millis + " ms after the primary stopped");
            assertTrue(millis < 10_000, "new primary within 10 s, took " + millis + " ms");

            // The driver follows the new primary; the majority-acknowledged documents are all there.
            coll.insertOne(new Document("_id", "after"));
            assertEquals(101, coll.countDocuments());
        }
    }

    @Test
    void stepDownHandsOverToASecondary() throws Exception {
        try (LocalReplicaSet set = startSet()) {
            int old = set.awaitPrimary(Duration.ofSeconds(15));
            assertTrue(old >= 0, "a first primary");
            int secondary = (old + 1) % 3;
            de.bwaldvogel.mongo.bson.Document notPrimary = set.command(secondary, "admin",
                new de.bwaldvogel.mongo.bson.Document("replSetStepDown", 10));
            assertEquals(10107, ((Number) notPrimary.get("code")).intValue());

            de.bwaldvogel.mongo.bson.Document reply = set.command(old, "admin",
                new de.bwaldvogel.mongo.bson.Document("replSetStepDown", 30).append("secondaryCatchUpPeriodSecs", 10));
            assertEquals(1.0, ((Number) reply.get("ok")).doubleValue(), reply.toString());
            int next = set.awaitPrimary(Duration.ofSeconds(15), old);
            assertTrue(next >= 0, "a new primary after replSetStepDown");
            de.bwaldvogel.mongo.bson.Document hello = set.command(old, "admin", new de.bwaldvogel.mongo.bson.Document("hello", 1));
            assertEquals(false, hello.get("isWritablePrimary"));
            assertEquals(true, hello.get("secondary"));
            // The stepped-down member does not stand again for 30 s: it stays secondary.
            assertEquals(next, set.awaitPrimary(Duration.ofSeconds(1)));
        }
    }

    @Test
    void writesOnlyTheDeposedPrimaryHadAreRolledBack() throws Exception {
        try (LocalReplicaSet set = startSet();
             MongoClient client = MongoClients.create(set.uri() + "&serverSelectionTimeoutMS=20000")) {
            int old = set.awaitPrimary(Duration.ofSeconds(15));
            assertTrue(old >= 0, "a first primary");
            MongoCollection<Document> coll = client.getDatabase("app").getCollection("diverge");
            coll.withWriteConcern(WriteConcern.W3).insertOne(new Document("_id", "everywhere"));
            // Cut the secondaries off the primary's oplog, then write to the primary alone (w: 1).
            for (int i = 0; i < 3; i++) {
                if (i != old) {
                    set.member(i).services().replication().pauseSyncForTesting(true);
                }
            }
            coll.withWriteConcern(WriteConcern.W1).insertOne(new Document("_id", "only-on-old"));
            coll.withWriteConcern(WriteConcern.W1).updateOne(new Document("_id", "everywhere"),
                new Document("$set", new Document("changed", true)));
            de.bwaldvogel.mongo.bson.Document down = set.command(old, "admin",
                new de.bwaldvogel.mongo.bson.Document("replSetStepDown", 60).append("secondaryCatchUpPeriodSecs", 0).append("force", true));
            assertEquals(1.0, ((Number) down.get("ok")).doubleValue(), down.toString());
            // A secondary is elected while still cut off: it never had the old primary's last writes.
            int next = set.awaitPrimary(Duration.ofSeconds(15), old);
            assertTrue(next >= 0, "a new primary");
            for (int i = 0; i < 3; i++) {
                set.member(i).services().replication().pauseSyncForTesting(false);
            }
            coll.withWriteConcern(WriteConcern.MAJORITY).insertOne(new Document("_id", "after"));
            try (MongoClient direct = MongoClients.create("mongodb://" + set.host(old)
                + "/?directConnection=true&readPreference=secondaryPreferred&socketTimeoutMS=10000")) {
                MongoCollection<Document> there = direct.getDatabase("app").getCollection("diverge");
                try {
                    Poll.until(Duration.ofSeconds(15), "the old primary rolled back and caught up", () ->
                        there.countDocuments(new Document("_id", "after")) == 1
                            && there.countDocuments(new Document("_id", "only-on-old")) == 0
                            && !there.find(new Document("_id", "everywhere")).first().containsKey("changed"));
                } catch (AssertionError e) {
                    for (int i : new int[] {old, next}) {
                        System.out.println("member " + i + " oplog: " + set.command(i, "local", new de.bwaldvogel.mongo.bson.Document("find", "oplog.rs")));
                        System.out.println("member " + i + " docs: " + set.command(i, "app", new de.bwaldvogel.mongo.bson.Document("find", "diverge")
                            .append("$readPreference", new de.bwaldvogel.mongo.bson.Document("mode", "secondaryPreferred"))));
                        System.out.println("member " + i + " status: " + set.command(i, "admin", new de.bwaldvogel.mongo.bson.Document("replSetGetStatus", 1)).get("myState"));
                    }
                    throw e;
                }
            }
            assertEquals(0, coll.countDocuments(new Document("_id", "only-on-old")));
        }
    }

    /** A step-down ends a write's wait for "majority" with 189, labelled so that drivers retry it on the next primary. */
    @Test
    void aStepDownDuringAMajorityWaitIsLabelledRetryable() throws Exception {
        try (LocalReplicaSet set = startSet()) {
            int old = set.awaitPrimary(Duration.ofSeconds(15));
            assertTrue(old >= 0, "a first primary");
            for (int i = 0; i < 3; i++) {
                if (i != old) {
                    set.member(i).services().replication().pauseSyncForTesting(true);
                }
            }
            de.bwaldvogel.mongo.bson.Document insert = new de.bwaldvogel.mongo.bson.Document("insert", "labelled")
                .append("documents", List.of(new de.bwaldvogel.mongo.bson.Document("_id", 1)))
                .append("lsid", new de.bwaldvogel.mongo.bson.Document("id", java.util.UUID.randomUUID())).append("txnNumber", 1L)
                .append("writeConcern", new de.bwaldvogel.mongo.bson.Document("w", "majority"));
            java.util.concurrent.CompletableFuture<de.bwaldvogel.mongo.bson.Document> reply =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return set.command(old, "app", insert);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            // Applied on the primary, waiting for secondaries that do not pull: then the primary steps down.
            Poll.until(Duration.ofSeconds(10), "the insert applied on the primary", () -> !firstBatch(set, old, "labelled").isEmpty());
            de.bwaldvogel.mongo.bson.Document down = set.command(old, "admin", new de.bwaldvogel.mongo.bson.Document("replSetStepDown", 30)
                .append("secondaryCatchUpPeriodSecs", 0).append("force", true));
            assertEquals(1.0, ((Number) down.get("ok")).doubleValue(), down.toString());
            de.bwaldvogel.mongo.bson.Document answer = reply.get(15, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(189, ((Number) ((de.bwaldvogel.mongo.bson.Document) answer.get("writeConcernError")).get("code")).intValue(),
                answer.toString());
            assertEquals(List.of("RetryableWriteError"), answer.get("errorLabels"), answer.toString());
            // pymongo 3.x reads a write concern error's labels inside it (and did not retry without them there).
            assertEquals(List.of("RetryableWriteError"),
                ((de.bwaldvogel.mongo.bson.Document) answer.get("writeConcernError")).get("errorLabels"), answer.toString());
            for (int i = 0; i < 3; i++) {
                set.member(i).services().replication().pauseSyncForTesting(false);
            }
        }
    }

    private static List<?> firstBatch(LocalReplicaSet set, int member, String collection) {
        try {
            de.bwaldvogel.mongo.bson.Document reply = set.command(member, "app", new de.bwaldvogel.mongo.bson.Document("find", collection));
            return (List<?>) ((de.bwaldvogel.mongo.bson.Document) reply.get("cursor")).get("firstBatch");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aRetriedWriteIsAppliedOnceEvenOnANewPrimary() throws Exception {
        try (LocalReplicaSet set = startSet()) {
            int old = set.awaitPrimary(Duration.ofSeconds(15));
            assertTrue(old >= 0, "a first primary");
            de.bwaldvogel.mongo.bson.Document lsid = new de.bwaldvogel.mongo.bson.Document("id", java.util.UUID.randomUUID());
            java.util.function.Supplier<de.bwaldvogel.mongo.bson.Document> insert = () -> new de.bwaldvogel.mongo.bson.Document("insert", "once")
                .append("documents", List.of(new de.bwaldvogel.mongo.bson.Document("_id", 1)))
                .append("lsid", lsid).append("txnNumber", 7L)
                .append("writeConcern", new de.bwaldvogel.mongo.bson.Document("w", "majority"));
            de.bwaldvogel.mongo.bson.Document first = set.command(old, "app", insert.get());
            assertEquals(1, ((Number) first.get("n")).intValue(), first.toString());
            de.bwaldvogel.mongo.bson.Document again = set.command(old, "app", insert.get());
            assertEquals(1, ((Number) again.get("n")).intValue(), "a retry answers as the first time: " + again);
            assertTrue(!again.containsKey("writeErrors"), again.toString());

            de.bwaldvogel.mongo.bson.Document down = set.command(old, "admin",
                new de.bwaldvogel.mongo.bson.Document("replSetStepDown", 30).append("secondaryCatchUpPeriodSecs", 10));
            assertEquals(1.0, ((Number) down.get("ok")).doubleValue(), down.toString());
            int next = set.awaitPrimary(Duration.ofSeconds(15), old);
            assertTrue(next >= 0, "a new primary");
            de.bwaldvogel.mongo.bson.Document onNew = set.command(next, "app", insert.get());
            assertEquals(1, ((Number) onNew.get("n")).intValue(), "the new primary knows the write: " + onNew);
            assertTrue(!onNew.containsKey("writeErrors"), onNew.toString());
            // Another transaction number is another write: now the duplicate _id counts.
            de.bwaldvogel.mongo.bson.Document other = set.command(next, "app", insert.get().append("txnNumber", 8L));
            assertTrue(other.containsKey("writeErrors"), other.toString());
        }
    }
}
