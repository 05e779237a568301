package io.shardstore.node.replication;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;

/**
 * A write counts as replicated on a member only if the member applied it on the same history: found by the fault
 * test (issue 10), a primary frozen by SIGSTOP resumed, applied a write in its old term and counted the secondaries'
 * positions in the new primary's term (later timestamps, another history) as having it: the write was acknowledged
 * with w: "majority" and then rolled back.
 */
class WriteConcernTermTest {

    private static ReplSetConfig config() {
        List<Document> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(new Document("_id", i).append("host", "localhost:" + (27100 + i)));
        }
        return ReplSetConfig.parse(new Document("_id", "rs").append("version", 1).append("members", members));
    }

    @Test
    void positionsOfANewerTermDoNotAcknowledgeAnOldTermWrite() {
        OpTime staleWrite = new OpTime(80L << 32, 1);
        Map<Integer, OpTime> positions = Map.of(0, staleWrite, 1, new OpTime(100L << 32, 2), 2, new OpTime(100L << 32, 2));
        assertFalse(WriteConcernTracker.satisfied(config(), positions, staleWrite, "majority", 1));
        assertFalse(WriteConcernTracker.satisfied(config(), positions, staleWrite, 2, 1));
    }

    @Test
    void positionsOfTheSameTermAtOrPastTheWriteAcknowledgeIt() {
        OpTime write = new OpTime(90L << 32, 2);
        Map<Integer, OpTime> positions = Map.of(0, new OpTime(95L << 32, 2), 1, new OpTime(90L << 32, 2), 2, new OpTime(50L << 32, 1));
        assertTrue(WriteConcernTracker.satisfied(config(), positions, write, "majority", 2));
        assertTrue(WriteConcernTracker.satisfied(config(), positions, write, 2, 2));
        assertFalse(WriteConcernTracker.satisfied(config(), positions, write, 3, 2));
    }

    @Test
    void aNewPrimarysOwnLaterEntriesCoverAnOlderTermWriteOnItsHistory() {
        // A write that changed nothing, waiting at the new primary's last entry of the old term, while the members
        // report positions past it in the new primary's own term (its "new primary" entry and later).
        OpTime oldTermPoint = new OpTime(70L << 32, 1);
        Map<Integer, OpTime> positions = Map.of(0, new OpTime(80L << 32, 2), 1, new OpTime(80L << 32, 2), 2, new OpTime(60L << 32, 1));
        assertTrue(WriteConcernTracker.satisfied(config(), positions, oldTermPoint, "majority", 2));
        // The same positions seen by a deposed primary whose own newest entry is still in term 1: not counted.
        assertFalse(WriteConcernTracker.satisfied(config(), positions, oldTermPoint, "majority", 1));
    }
}
