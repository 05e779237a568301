package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.cluster.LocalReplicaSet;

/**
 * A retryable write rolled back on a deposed primary is applied when retried there later (found by the fault test,
 * issue 10: a primary frozen by SIGSTOP ran a queued delete on resuming, stepped down and rolled it back; the driver's
 * retry reached it again once it was primary in a later term, was answered from the retryable-write record, which
 * the rollback had kept, and the client was told "deleted" while the document stayed).
 */
class RollbackRetryableWriteTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(40); // a rollback on a loaded host with 1 s peer timeouts

    @Test
    void aRolledBackStatementRunsAgainWhenRetried() throws Exception {
        try (LocalReplicaSet set = LocalReplicaSet.start("rbrw", 3)) {
            set.initiateAndAwaitPrimary(set.config(250, 1000), TIMEOUT);
            int old = set.awaitPrimary(TIMEOUT);
            Document ok = set.command(old, "app", new Document("insert", "items").append("documents", List.of(new Document("_id", "x")))
                .append("writeConcern", new Document("w", 3)));
            assertEquals(1, ((Number) ok.get("n")).intValue(), ok.toString());
            for (int i = 0; i < 3; i++) {
                if (i != old) {
                    set.member(i).services().replication().pauseSyncForTesting(true);
                }
            }
            // The delete runs on the old primary alone and is recorded there as statement 0 of (session, 1).
            Document delete = new Document("delete", "items")
                .append("deletes", List.of(new Document("q", new Document("_id", "x")).append("limit", 1)))
                .append("lsid", new Document("id", UUID.randomUUID())).append("txnNumber", 1L)
                .append("writeConcern", new Document("w", 1));
            assertEquals(1, ((Number) set.command(old, "app", delete).get("n")).intValue());
            Document down = set.command(old, "admin", new Document("replSetStepDown", 60).append("secondaryCatchUpPeriodSecs", 0).append("force", true));
            assertEquals(1.0, ((Number) down.get("ok")).doubleValue(), down.toString());
            int next = set.awaitPrimary(TIMEOUT, old);
            assertNotEquals(old, next);
            for (int i = 0; i < 3; i++) {
                set.member(i).services().replication().pauseSyncForTesting(false);
            }
            // The new primary writes, so the old one must roll its delete back and take "x" again.
            set.command(next, "app", new Document("insert", "items").append("documents", List.of(new Document("_id", "after")))
                .append("writeConcern", new Document("w", "majority")));
            Poll.until(TIMEOUT, "the old primary rolled back its delete", () -> count(set, old, "x") == 1 && count(set, old, "after") == 1);

            // The old primary becomes primary again; the client's retry of the delete reaches it.
            Poll.until(TIMEOUT, "the old primary is primary again", () -> {
                command(set, old, "admin", new Document("replSetStepUp", 1));
                return set.awaitPrimary(Duration.ofSeconds(2)) == old;
            });
            Document retried = set.command(old, "app", delete.append("writeConcern", new Document("w", "majority")));
            assertEquals(1, ((Number) retried.get("n")).intValue(), retried.toString());
            assertEquals(0, count(set, old, "x"), "the retried delete was applied, not answered from a rolled-back record");
        }
    }

    private static Document command(LocalReplicaSet set, int member, String db, Document cmd) {
        try {
            return set.command(member, db, cmd);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long count(LocalReplicaSet set, int member, String id) {
        Document reply = command(set, member, "app", new Document("count", "items").append("query", new Document("_id", id))
            .append("$readPreference", new Document("mode", "secondaryPreferred")));
        if (Integer.valueOf(13436).equals(reply.get("code"))) {
            return -1; // rolling back right now: it refuses reads (NotPrimaryOrSecondary), ask again
        }
        assertTrue(reply.get("n") instanceof Number, reply.toString());
        return ((Number) reply.get("n")).longValue();
    }
}
