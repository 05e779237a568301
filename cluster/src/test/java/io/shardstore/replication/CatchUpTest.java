package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.cluster.LocalReplicaSet;

/**
 * A write that reached only the primary and a non-voting member survives the primary's loss: the new primary (which
 * did not have it) catches up from that member before taking writes, instead of making it roll the write back.
 */
class CatchUpTest {

    @Test
    void aNewPrimaryCatchesUpWithTheMostUpToDateMember() throws Exception {
        try (LocalReplicaSet set = LocalReplicaSet.start("rsu", 4)) {
            Document config = set.config(200, 1000);
            Document nonVoter = (Document) ((List<?>) config.get("members")).get(3);
            nonVoter.append("priority", 0).append("votes", 0);
            ((Document) config.get("settings")).append("catchUpTimeoutMillis", 2000);
            assertEquals(1.0, ((Number) set.initiate(config).get("ok")).doubleValue());
            int old = set.awaitPrimary(Duration.ofSeconds(20));
            assertTrue(old >= 0 && old < 3);
            Document first = set.command(old, "app", new Document("insert", "t").append("documents",
                List.of(new Document("_id", "everywhere"))).append("writeConcern", new Document("w", 4)));
            assertFalse(first.containsKey("writeConcernError"), first.toString());

            // The two other voters fall behind; the write reaches the primary and the non-voter only.
            for (int i = 0; i < 3; i++) {
                if (i != old) {
                    set.member(i).services().replication().pauseSyncForTesting(true);
                }
            }
            Document caught = set.command(old, "app", new Document("insert", "t").append("documents",
                List.of(new Document("_id", "caught"))).append("writeConcern", new Document("w", 2).append("wtimeout", 10_000)));
            assertFalse(caught.containsKey("writeConcernError"), caught.toString());
            set.stop(old);
            for (int i = 0; i < 3; i++) {
                if (i != old) {
                    set.member(i).services().replication().pauseSyncForTesting(false);
                }
            }

            int next = set.awaitPrimary(Duration.ofSeconds(15), old);
            assertTrue(next >= 0 && next != 3, "a voter elected: " + next);
            assertEquals(1, count(set, next, "caught"), "the new primary caught up before taking writes");
            Document after = set.command(next, "app", new Document("insert", "t").append("documents",
                List.of(new Document("_id", "after"))).append("writeConcern", new Document("w", "majority").append("wtimeout", 10_000)));
            assertFalse(after.containsKey("writeConcernError"), after.toString());
            Poll.until(Duration.ofSeconds(10), "the non-voter following the new primary", () -> count(set, 3, "after") == 1);
            assertEquals(1, count(set, 3, "caught"), "not rolled back on the non-voter");
        }
    }

    private static long count(LocalReplicaSet set, int member, String id) {
        try {
            Document reply = set.command(member, "app", new Document("count", "t").append("query", new Document("_id", id))
                .append("$readPreference", new Document("mode", "secondaryPreferred")));
            return ((Number) reply.get("n")).longValue();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
