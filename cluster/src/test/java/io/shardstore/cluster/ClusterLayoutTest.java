package io.shardstore.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.cluster.ClusterLayout.Member;
import io.shardstore.node.replication.ReplSetConfig;

/** bin/cluster's port layout and the replica-set configs it initiates. */
class ClusterLayoutTest {

    private static List<Integer> ports(ClusterLayout.SetLayout set) {
        return set.members().stream().map(Member::port).toList();
    }

    @Test
    void defaultLayoutIsThreeMemberSetsAHundredPortsApart() {
        ClusterLayout layout = ClusterLayout.of(2, 3, false, false, 0, 27017, 27019, 27018);
        assertEquals(List.of(27019, 27119, 27219), ports(layout.config()));
        assertEquals(List.of(27018, 27118, 27218), ports(layout.shards().get(0)));
        assertEquals(List.of(27020, 27120, 27220), ports(layout.shards().get(1)));
        assertEquals("configRS/127.0.0.1:27019,127.0.0.1:27119,127.0.0.1:27219", layout.config().hosts());
        assertEquals("shard1/127.0.0.1:27020,127.0.0.1:27120,127.0.0.1:27220", layout.shards().get(1).hosts());
        assertEquals(List.of("shard1-0", "shard1-1", "shard1-2"), layout.shards().get(1).members().stream().map(Member::process).toList());
    }

    @Test
    void oneMemberIsTodaysSingleNodes() {
        ClusterLayout layout = ClusterLayout.of(3, 1, false, false, 0, 27017, 27019, 27018);
        assertFalse(layout.config().replicated());
        assertNull(layout.shards().get(0).name());
        assertEquals("127.0.0.1:27019", layout.config().hosts());
        assertEquals(List.of(27018), ports(layout.shards().get(0)));
        assertEquals(List.of(27020), ports(layout.shards().get(1)));
        assertEquals(List.of(27021), ports(layout.shards().get(2)));
        assertEquals("shard2", layout.shards().get(2).members().get(0).process());
    }

    @Test
    void extraMembersJoinEachShardSetButNotItsSeedListNorTheConfigSet() {
        ClusterLayout layout = ClusterLayout.of(1, 3, true, true, 60, 27017, 27019, 27018);
        ClusterLayout.SetLayout shard = layout.shards().get(0);
        assertEquals(List.of(27018, 27118, 27218, 27318, 27418, 27518), ports(shard));
        assertEquals("shard0/127.0.0.1:27018,127.0.0.1:27118,127.0.0.1:27218", shard.hosts());
        assertEquals(3, layout.config().members().size());

        Document config = shard.replSetConfig(null, 5_000L);
        @SuppressWarnings("unchecked")
        List<Document> members = (List<Document>) config.get("members");
        assertEquals(true, members.get(3).get("arbiterOnly"));
        assertEquals(true, members.get(4).get("hidden"));
        assertEquals(60L, members.get(5).get("secondaryDelaySecs"));
        assertEquals(new Document("electionTimeoutMillis", 5_000L), config.get("settings"));
        // The members accept it as it is.
        ReplSetConfig parsed = ReplSetConfig.parse(config);
        assertEquals(6, parsed.members().size());
        assertEquals(5_000L, parsed.electionTimeoutMillis());
    }

    @Test
    void refusesMoreThanSevenVotersAndCollidingPorts() {
        assertThrows(IllegalArgumentException.class, () -> ClusterLayout.of(2, 5, true, true, 10, 27017, 27019, 27018));
        assertThrows(IllegalArgumentException.class, () -> ClusterLayout.of(2, 3, false, false, 0, 27017, 27119, 27018));
        assertThrows(IllegalArgumentException.class, () -> ClusterLayout.of(0, 3, false, false, 0, 27017, 27019, 27018));
    }
}
