package io.shardstore.node.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.cluster.LocalReplicaSet;

/**
 * A primary's own oplog entries carry the term in which it became primary, also when it has just heard of a higher
 * term (found by the fault test, run 8: a primary stopped by SIGSTOP resumed, saw the new term and stepped down, but a
 * delete already running on its storage thread logged its entry tagged with the new term, at the very timestamp of
 * the new primary's first entry; the two histories then looked alike, no rollback happened, and the member was later
 * elected without the new primary's acknowledged write).
 *
 * In this package to reach the moment in between: the term moves on while a write runs on the storage thread.
 */
class DeposedPrimaryTermTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void aWriteRunningWhenTheTermMovesOnIsLoggedInThePrimarysOwnTerm() throws Exception {
        try (LocalReplicaSet set = LocalReplicaSet.start("deposed", 3)) {
            set.initiateAndAwaitPrimary(set.config(250, 1000), TIMEOUT);
            int primary = set.awaitPrimary(TIMEOUT);
            ReplicationCoordinator member = set.member(primary).services().replication();
            long ownTerm = member.term();
            Document entry = member.storage().submit(() -> {
                synchronized (member) {
                    member.updateTerm(ownTerm + 1); // a higher term heard: the member steps down...
                }
                // ...while this write, admitted before, still runs and logs its entry.
                member.storage().runAsSystem("app", "insert", new Document("insert", "late")
                    .append("documents", List.of(new Document("_id", "late"))));
                return member.oplog().after(0, false, Integer.MAX_VALUE).stream()
                    .filter(e -> "app.late".equals(e.get("ns"))).findFirst().orElseThrow();
            }).get(10, TimeUnit.SECONDS);
            assertNotEquals(ownTerm, member.term(), "the member heard of the higher term");
            assertEquals(ownTerm, ((Number) entry.get("t")).longValue(),
                "the entry carries the term its writer was primary in, not the term it had just heard of: " + entry);
        }
    }
}
