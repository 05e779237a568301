package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.cluster.LocalReplicaSet;

/** Members with --dbpath restarted in place: config, data and the last vote come back from the dbpath. */
class RestartTest {

    @Test
    void aRestartedMemberKeepsItsConfigDataAndVote(@TempDir Path dir) throws Exception {
        try (LocalReplicaSet set = LocalReplicaSet.startDurable("rsp", 3, dir)) {
            assertEquals(1.0, ((Number) set.initiate(set.config(200, 2000)).get("ok")).doubleValue());
            int primary = set.awaitPrimary(Duration.ofSeconds(20));
            assertTrue(primary >= 0, "a primary");
            Document insert = set.command(primary, "app", new Document("insert", "c")
                .append("documents", List.of(new Document("_id", 1))).append("writeConcern", new Document("w", 3)));
            assertEquals(1.0, ((Number) insert.get("ok")).doubleValue(), insert.toString());

            int member = (primary + 1) % 3;
            int other = (primary + 2) % 3;
            set.restart(member);
            // No replSetInitiate: the config comes back from local.replset.config in its dbpath.
            Poll.until(Duration.ofSeconds(15), "the restarted member a secondary of rsp", () -> {
                Document hello = hello(set, member);
                return "rsp".equals(hello.get("setName")) && Boolean.TRUE.equals(hello.get("secondary"));
            });
            Document found = set.command(member, "app", new Document("find", "c")
                .append("$readPreference", new Document("mode", "secondaryPreferred")));
            if (((List<?>) ((Document) found.get("cursor")).get("firstBatch")).size() != 1) {
                org.junit.jupiter.api.Assertions.fail("the document is missing after the restart: " + found + "\nits oplog: "
                    + set.command(member, "local", new Document("find", "oplog.rs")) + "\nits status: "
                    + set.command(member, "admin", new Document("replSetGetStatus", 1)));
            }

            // Alone (so nobody else moves its term), it votes in a future term, restarts, and must not vote again.
            long term = ((Number) set.command(member, "admin", new Document("replSetGetStatus", 1)).get("term")).longValue() + 100;
            set.stop(primary);
            set.stop(other);
            Document first = set.command(member, "admin", voteRequest(term, primary));
            assertEquals(Boolean.TRUE, first.get("voteGranted"), first.toString());
            set.restart(member);
            Document stored = set.command(member, "local", new Document("find", "replset.election"));
            Document lastVote = (Document) ((List<?>) ((Document) stored.get("cursor")).get("firstBatch")).get(0);
            assertEquals(term, ((Number) lastVote.get("term")).longValue());
            Document second = set.command(member, "admin", voteRequest(term, other));
            assertFalse(Boolean.TRUE.equals(second.get("voteGranted")), second.toString());
            assertTrue(String.valueOf(second.get("reason")).contains("already voted"), second.toString());
            assertEquals(term, ((Number) second.get("term")).longValue(), "the term survives the restart");
            Document same = set.command(member, "admin", voteRequest(term, primary));
            assertEquals(Boolean.TRUE, same.get("voteGranted"), "the same candidate again: " + same);
        }
    }

    private static Document hello(LocalReplicaSet set, int member) {
        try {
            return set.command(member, "admin", new Document("hello", 1));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Document voteRequest(long term, int candidateIndex) {
        return new Document("replSetRequestVotes", 1).append("setName", "rsp").append("dryRun", false).append("stepUp", true)
            .append("term", term).append("candidateIndex", candidateIndex).append("configVersion", 1)
            .append("lastAppliedOpTime", new Document("ts", new BsonTimestamp(1L << 62)).append("t", term));
    }
}
