package io.shardstore.node.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.cluster.LocalReplicaSet;

/**
 * A fetched entry that is not newer than a secondary's last entry but is not in its oplog is another history, never
 * an entry "already applied" (found by the fault test, issue 10, run 4: a deposed primary's last entry and the new
 * primary's first one had the same timestamp in different terms; the member that held the deposed one skipped the
 * new one as already applied, so an acknowledged insert never reached it, and it was elected later).
 *
 * In this package to call the applier itself: the divergence is a race of two primaries in one second, which a test
 * cannot bring about on purpose through the members' commands.
 */
class SameTimestampDivergenceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void anEntryWithOurLastTimestampInAnotherTermIsADivergenceNotADuplicate() throws Exception {
        try (LocalReplicaSet set = LocalReplicaSet.start("samets", 3)) {
            set.initiateAndAwaitPrimary(set.config(250, 1000), TIMEOUT);
            int primary = set.awaitPrimary(TIMEOUT);
            set.command(primary, "app", new Document("insert", "items").append("documents", List.of(new Document("_id", "before")))
                .append("writeConcern", new Document("w", 3)));
            int secondary = (primary + 1) % 3;
            ReplicationCoordinator member = set.member(secondary).services().replication();
            member.pauseSyncForTesting(true);
            OpTime last = member.lastApplied();

            // The new primary's first entry: our last entry's timestamp, a later term, a document we do not have.
            Document theirs = new Document("ts", new BsonTimestamp(last.ts())).append("t", last.term() + 1).append("v", 2L)
                .append("op", "i").append("ns", "app.items").append("o", new Document("_id", "acknowledged"))
                .append("wall", Instant.now());
            ExecutionException failed = assertThrows(ExecutionException.class,
                () -> member.storage().submit(() -> OplogApplier.apply(member, List.of(theirs))).get(10, TimeUnit.SECONDS),
                "the entry was taken for one already applied and skipped");
            assertInstanceOf(OplogApplier.OplogDivergedException.class, failed.getCause());
            assertEquals(last, member.lastApplied(), "nothing applied past the divergence");

            // The very entry we have is still skipped as applied (a source resending our last entry is no divergence).
            Document ours = member.oplog().after(last.ts(), true, 1).get(0);
            assertTrue(member.storage().submit(() -> OplogApplier.apply(member, List.of(ours))).get(10, TimeUnit.SECONDS));
            assertEquals(last, member.lastApplied());
        }
    }
}
