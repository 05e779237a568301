package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.cluster.LocalReplicaSet;

/** A secondary given a higher priority than the primary's takes over once caught up, after about electionTimeoutMillis. */
class PriorityTakeoverTest {

    @Test
    void aHigherPrioritySecondaryTakesOver() throws Exception {
        try (LocalReplicaSet set = LocalReplicaSet.start("rsy", 3)) {
            assertEquals(1.0, ((Number) set.initiate(set.config(200, 1000)).get("ok")).doubleValue());
            int primary = set.awaitPrimary(Duration.ofSeconds(20));
            assertTrue(primary >= 0);
            Document kept = set.command(primary, "app", new Document("insert", "t").append("documents",
                List.of(new Document("_id", "kept"))).append("writeConcern", new Document("w", "majority")));
            assertFalse(kept.containsKey("writeConcernError"), kept.toString());

            int favourite = (primary + 1) % 3;
            Document config = (Document) set.command(primary, "admin", new Document("replSetGetConfig", 1)).get("config");
            List<Object> members = new ArrayList<>();
            for (Object o : (List<?>) config.get("members")) {
                Document m = (Document) o;
                if (((Number) m.get("_id")).intValue() == favourite) {
                    m.put("priority", 5.0);
                }
                members.add(m);
            }
            config.put("members", members);
            config.put("version", ((Number) config.get("version")).intValue() + 1);
            long start = System.nanoTime();
            Document reconfig = set.command(primary, "admin", new Document("replSetReconfig", config));
            assertEquals(1.0, ((Number) reconfig.get("ok")).doubleValue(), reconfig.toString());

            assertEquals(favourite, set.awaitPrimary(Duration.ofSeconds(15), primary), "the priority 5 member took over");
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("priority takeover " + millis + " ms after the reconfig");
            assertTrue(millis >= 900, "not before electionTimeoutMillis (1000): " + millis);
            Poll.until(Duration.ofSeconds(10), "the old primary a secondary", () -> {
                try {
                    return Boolean.TRUE.equals(set.command(primary, "admin", new Document("hello", 1)).get("secondary"));
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            Document found = set.command(favourite, "app", new Document("find", "t"));
            assertEquals(1, ((List<?>) ((Document) found.get("cursor")).get("firstBatch")).size(), "the majority write kept");
        }
    }
}
