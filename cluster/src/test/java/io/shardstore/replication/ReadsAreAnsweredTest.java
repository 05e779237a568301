package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.cluster.LocalReplicaSet;
import io.shardstore.node.replication.OpTime;
import io.shardstore.node.replication.ReplicationCoordinator;

/**
 * A read is answered whatever the other members have applied. The shard node used to treat every aggregate as a
 * write (AggregateCommand.writes() is true for $out / $merge) and made it wait for the implicit w: "majority" at the
 * member's last applied optime before replying. A member whose last entry is of an older term than every other
 * member's position (the old primary just after its rollback, or a secondary that has not fetched the new primary's
 * first entry) can never see that majority, since a position counts only in the entry's own term: the reply never
 * came (FailoverTest's countDocuments hung in the driver's socket read). With secondaries behind, a read on the
 * primary waited for them too, and so did a write to the local database, which no other member ever applies.
 */
class ReadsAreAnsweredTest {

    private static LocalReplicaSet startSet() throws Exception {
        LocalReplicaSet set = LocalReplicaSet.start("rsread", 3);
        de.bwaldvogel.mongo.bson.Document reply = set.initiate(set.config(250, 1000));
        assertEquals(1.0, ((Number) reply.get("ok")).doubleValue(), reply.toString());
        return set;
    }

    @Test
    void aReadOnASecondaryWhoseLastEntryIsOfAnOlderTermIsAnswered() throws Exception {
        try (LocalReplicaSet set = startSet();
             MongoClient client = MongoClients.create(set.uri() + "&serverSelectionTimeoutMS=20000")) {
            int old = set.awaitPrimary(Duration.ofSeconds(15));
            assertTrue(old >= 0, "a first primary");
            client.getDatabase("app").getCollection("terms").withWriteConcern(WriteConcern.W3)
                .insertOne(new Document("_id", "everywhere"));
            int lagging = (old + 1) % 3;
            int next = (old + 2) % 3;
            // The lagging member keeps its last entry (term 1) and does not stand; the third member takes over.
            set.command(lagging, "admin", new de.bwaldvogel.mongo.bson.Document("replSetFreeze", 120));
            set.member(lagging).services().replication().pauseSyncForTesting(true);
            try {
                set.command(next, "admin", new de.bwaldvogel.mongo.bson.Document("replSetStepUp", 1));
                assertEquals(next, set.awaitPrimary(Duration.ofSeconds(15), old), "the third member is primary");
                ReplicationCoordinator laggingRepl = set.member(lagging).services().replication();
                long oldTerm = laggingRepl.lastApplied().term();
                // Both others have applied entries of the new term, and the lagging member has heard so.
                Poll.until(Duration.ofSeconds(15), "the lagging member sees both others in the new term", () ->
                    othersInANewerTerm(set, lagging, oldTerm));
                assertEquals(oldTerm, laggingRepl.lastApplied().term(), "the lagging member applied nothing new");

                try (MongoClient direct = MongoClients.create("mongodb://" + set.host(lagging)
                    + "/?directConnection=true&readPreference=secondaryPreferred&socketTimeoutMS=5000")) {
                    long count = direct.getDatabase("app").getCollection("terms").countDocuments();
                    assertEquals(1, count);
                }
            } finally {
                set.member(lagging).services().replication().pauseSyncForTesting(false);
            }
        }
    }

    @Test
    void aReadOnThePrimaryDoesNotWaitForTheSecondaries() throws Exception {
        try (LocalReplicaSet set = startSet()) {
            int primary = set.awaitPrimary(Duration.ofSeconds(15));
            assertTrue(primary >= 0, "a primary");
            for (int i = 0; i < 3; i++) {
                if (i != primary) {
                    set.member(i).services().replication().pauseSyncForTesting(true);
                }
            }
            try {
                de.bwaldvogel.mongo.bson.Document insert = set.command(primary, "app", new de.bwaldvogel.mongo.bson.Document("insert", "lag")
                    .append("documents", List.of(new de.bwaldvogel.mongo.bson.Document("_id", 1)))
                    .append("writeConcern", new de.bwaldvogel.mongo.bson.Document("w", 1)));
                assertEquals(1, ((Number) insert.get("n")).intValue(), insert.toString());
                // Nobody else has the insert: a read must not wait for them (before, it waited for a majority).
                long start = System.nanoTime();
                de.bwaldvogel.mongo.bson.Document count = set.command(primary, "app", new de.bwaldvogel.mongo.bson.Document("aggregate", "lag")
                    .append("pipeline", List.of(new de.bwaldvogel.mongo.bson.Document("$count", "n")))
                    .append("cursor", new de.bwaldvogel.mongo.bson.Document()));
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                List<?> batch = (List<?>) ((de.bwaldvogel.mongo.bson.Document) count.get("cursor")).get("firstBatch");
                assertEquals(1, ((Number) ((de.bwaldvogel.mongo.bson.Document) batch.get(0)).get("n")).intValue(), count.toString());
                assertTrue(!count.containsKey("writeConcernError"), count.toString());
                assertTrue(millis < 5_000, "answered at once, took " + millis + " ms");

                // Writes to local are not logged: no other member will apply them, so they wait for nobody.
                de.bwaldvogel.mongo.bson.Document local = set.command(primary, "local", new de.bwaldvogel.mongo.bson.Document("insert", "scratch")
                    .append("documents", List.of(new de.bwaldvogel.mongo.bson.Document("_id", 1)))
                    .append("writeConcern", new de.bwaldvogel.mongo.bson.Document("w", "majority")));
                assertEquals(1, ((Number) local.get("n")).intValue(), local.toString());
                assertTrue(!local.containsKey("writeConcernError"), local.toString());
            } finally {
                for (int i = 0; i < 3; i++) {
                    set.member(i).services().replication().pauseSyncForTesting(false);
                }
            }
        }
    }

    /**
     * A write's wait registered after its member stepped down ends at once with PrimarySteppedDown (189): the
     * step-down's failAllSteppedDown may already have run, and nothing else would end it (its term's majority
     * may never come).
     */
    @Test
    void aWriteConcernWaitOnANonPrimaryEndsAtOnce() throws Exception {
        try (LocalReplicaSet set = startSet()) {
            int primary = set.awaitPrimary(Duration.ofSeconds(15));
            assertTrue(primary >= 0, "a primary");
            ReplicationCoordinator secondary = set.member((primary + 1) % 3).services().replication();
            OpTime last = secondary.lastApplied();
            OpTime notYetWritten = new OpTime(last.ts() + (1L << 32), last.term());
            CompletableFuture<de.bwaldvogel.mongo.bson.Document> wait = secondary.writeConcern()
                .await(notYetWritten, new de.bwaldvogel.mongo.bson.Document("w", "majority"));
            de.bwaldvogel.mongo.bson.Document error = wait.get(5, TimeUnit.SECONDS);
            assertEquals(189, ((Number) error.get("code")).intValue(), error.toString());
        }
    }

    private static boolean othersInANewerTerm(LocalReplicaSet set, int member, long term) {
        try {
            de.bwaldvogel.mongo.bson.Document status = set.command(member, "admin", new de.bwaldvogel.mongo.bson.Document("replSetGetStatus", 1));
            int newer = 0;
            for (Object m : (List<?>) status.get("members")) {
                de.bwaldvogel.mongo.bson.Document d = (de.bwaldvogel.mongo.bson.Document) m;
                if (!Boolean.TRUE.equals(d.get("self")) && OpTime.from(d.get("optime")).term() > term) {
                    newer++;
                }
            }
            return newer == 2;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
