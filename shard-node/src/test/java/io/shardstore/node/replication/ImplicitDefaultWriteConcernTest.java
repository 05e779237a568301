package io.shardstore.node.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;

/** MongoDB 5.0's implicit default write concern: "majority", unless arbiters leave too few data-bearing voters. */
class ImplicitDefaultWriteConcernTest {

    private static ReplSetConfig config(int dataMembers, int arbiters) {
        List<Document> members = new ArrayList<>();
        for (int i = 0; i < dataMembers + arbiters; i++) {
            Document m = new Document("_id", i).append("host", "localhost:" + (27100 + i));
            if (i >= dataMembers) {
                m.append("arbiterOnly", true);
            }
            members.add(m);
        }
        return ReplSetConfig.parse(new Document("_id", "rs").append("version", 1).append("members", members));
    }

    @Test
    void majorityWithoutArbiters() {
        assertEquals("majority", WriteConcernTracker.implicitDefaultW(config(3, 0)));
        assertEquals("majority", WriteConcernTracker.implicitDefaultW(config(1, 0)));
    }

    @Test
    void oneWhenArbitersLeaveTooFewDataBearingVoters() {
        assertEquals(1, WriteConcernTracker.implicitDefaultW(config(2, 1))); // PSA: majority 2 of 3, 2 data-bearing
        assertEquals(1, WriteConcernTracker.implicitDefaultW(config(3, 1))); // PSSA: majority 3 of 4, 3 data-bearing
        assertEquals("majority", WriteConcernTracker.implicitDefaultW(config(4, 1))); // majority 3 of 5, 4 data-bearing
    }
}
