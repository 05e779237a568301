package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.cluster.LocalReplicaSet;
import io.shardstore.node.NodeOptions;

/** local.oplog.rs is capped at --oplogSizeMB (oldest entries dropped), says so in collStats, and survives a restart. */
class CappedOplogTest {

    @Test
    void theOplogIsCappedAndKeptInTheDbpath(@TempDir Path dir) throws Exception {
        NodeOptions options = NodeOptions.inMemory(0).withReplSet("rsc").withDbPath(dir.resolve("m0")).withOplogSizeMB(1);
        try (LocalReplicaSet set = LocalReplicaSet.start("rsc", List.of(options))) {
            assertEquals(1.0, ((Number) set.initiate(set.config(200, 1000)).get("ok")).doubleValue());
            assertTrue(set.awaitPrimary(Duration.ofSeconds(20)) == 0, "the single member primary");
            String filler = "x".repeat(50_000);
            for (int i = 0; i < 40; i++) { // about 2 MB of entries for a 1 MB oplog
                Document reply = set.command(0, "app", new Document("insert", "big")
                    .append("documents", List.of(new Document("_id", i).append("filler", filler))));
                assertEquals(1.0, ((Number) reply.get("ok")).doubleValue(), reply.toString());
            }
            Document stats = set.command(0, "local", new Document("collStats", "oplog.rs"));
            assertEquals(Boolean.TRUE, stats.get("capped"), stats.toString());
            assertEquals(1024L * 1024, ((Number) stats.get("maxSize")).longValue());
            long size = ((Number) stats.get("size")).longValue();
            long count = ((Number) stats.get("count")).longValue();
            assertTrue(size <= 1024 * 1024 && size > 900 * 1024, "size within the cap, nearly full: " + size);
            assertTrue(count >= 18 && count <= 21, "about 20 entries of 50 KB kept: " + count);

            List<Document> before = oplog(set);
            assertEquals(count, before.size());
            Document oldest = before.get(0);
            assertEquals("i", oldest.get("op"), "the new-primary entry and the first inserts were dropped: " + oldest);
            assertTrue(((Number) ((Document) oldest.get("o")).get("_id")).intValue() >= 19, oldest.toString());
            assertEquals(39, ((Document) before.get(before.size() - 1).get("o")).get("_id"));

            set.restart(0);
            assertTrue(set.awaitPrimary(Duration.ofSeconds(20)) == 0, "primary again after the restart");
            List<Document> after = oplog(set);
            assertTrue(after.size() >= before.size(), "the oplog is back: " + after.size() + " entries");
            assertEquals(oldest.get("ts"), after.get(0).get("ts"), "same oldest entry");
            for (int i = 0; i < before.size(); i++) {
                assertEquals(before.get(i).get("ts"), after.get(i).get("ts"));
            }
            BsonTimestamp lastBefore = (BsonTimestamp) before.get(before.size() - 1).get("ts");
            set.command(0, "app", new Document("insert", "big").append("documents", List.of(new Document("_id", "later"))));
            List<Document> later = oplog(set);
            BsonTimestamp newest = (BsonTimestamp) later.get(later.size() - 1).get("ts");
            assertTrue(Long.compareUnsigned(newest.getValue(), lastBefore.getValue()) > 0, "new entries come after the kept ones");
        }
    }

    private static List<Document> oplog(LocalReplicaSet set) throws java.io.IOException {
        Document reply = set.command(0, "local", new Document("find", "oplog.rs").append("batchSize", 1000));
        List<Document> out = new ArrayList<>();
        for (Object o : (List<?>) ((Document) reply.get("cursor")).get("firstBatch")) {
            out.add((Document) o);
        }
        return out;
    }
}
