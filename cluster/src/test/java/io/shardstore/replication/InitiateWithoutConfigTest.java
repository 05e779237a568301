package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.cluster.LocalReplicaSet;

/** rs.initiate() with no config (mongosh sends {replSetInitiate: {}}): a one-member set of this node, as mongod makes. */
class InitiateWithoutConfigTest {

    @Test
    void anEmptyConfigMeansThisNodeAlone() throws Exception {
        try (LocalReplicaSet set = LocalReplicaSet.start("rsx", 1)) {
            Document reply = set.command(0, "admin", new Document("replSetInitiate", new Document()));
            assertEquals(1.0, ((Number) reply.get("ok")).doubleValue(), reply.toString());
            assertEquals(0, set.awaitPrimary(Duration.ofSeconds(20)));
            Document config = (Document) set.command(0, "admin", new Document("replSetGetConfig", 1)).get("config");
            assertEquals("rsx", config.get("_id"));
            assertEquals(1, ((List<?>) config.get("members")).size());
        }
    }
}
