package io.shardstore.node.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.cluster.LocalReplicaSet;

/**
 * A member in ROLLBACK answers reads with NotPrimaryOrSecondary (13436), as mongod does: it holds documents the
 * rollback is about to take away. In this package to hold the member in ROLLBACK while reading.
 */
class ReadsDuringRollbackTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void aMemberRollingBackRefusesReads() throws Exception {
        try (LocalReplicaSet set = LocalReplicaSet.start("rbread", 3)) {
            set.initiateAndAwaitPrimary(set.config(250, 1000), TIMEOUT);
            int primary = set.awaitPrimary(TIMEOUT);
            int secondary = (primary + 1) % 3;
            ReplicationCoordinator member = set.member(secondary).services().replication();
            io.shardstore.replication.Poll.until(TIMEOUT, "the member is SECONDARY", () -> member.state() == MemberState.SECONDARY);
            Document find = new Document("find", "c").append("$readPreference", new Document("mode", "secondaryPreferred"));
            assertEquals(1.0, ((Number) set.command(secondary, "app", find).get("ok")).doubleValue());
            member.pauseSyncForTesting(true);
            try {
                assertEquals(true, member.rollbackState(true));
                Document refused = set.command(secondary, "app", find);
                assertEquals(13436, ((Number) refused.get("code")).intValue(), refused.toString());
                assertEquals("NotPrimaryOrSecondary", refused.get("codeName"));
            } finally {
                member.rollbackState(false);
                member.pauseSyncForTesting(false);
            }
            assertEquals(1.0, ((Number) set.command(secondary, "app", find).get("ok")).doubleValue());
        }
    }
}
