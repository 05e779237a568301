package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.cluster.LocalReplicaSet;
import io.shardstore.node.NodeOptions;

/**
 * With a 1 MB oplog and about 2 MB written, the early entries are gone: a member added later must clone (initial
 * sync), and a member that was cut off while they were dropped is too stale and applies nothing.
 */
class InitialSyncTest {
    private static final String FILLER = "x".repeat(50_000);

    private static LocalReplicaSet startSet(String name) throws Exception {
        List<NodeOptions> options = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            options.add(NodeOptions.inMemory(0).withReplSet(name).withOplogSizeMB(1));
        }
        return LocalReplicaSet.start(name, options);
    }

    private static void fill(LocalReplicaSet set, int primary, int w) throws IOException {
        for (int i = 0; i < 40; i++) {
            Document reply = set.command(primary, "app", new Document("insert", "big").append("documents",
                List.of(new Document("_id", i).append("k", i % 7).append("filler", FILLER))).append("writeConcern", new Document("w", w)));
            assertEquals(1.0, ((Number) reply.get("ok")).doubleValue(), reply.toString());
            assertFalse(reply.containsKey("writeConcernError"), reply.toString());
        }
    }

    @Test
    void anAddedMemberClonesTheDataThenFollowsTheOplog() throws Exception {
        try (LocalReplicaSet set = startSet("rsi")) {
            Document config = set.config(200, 2000);
            config.put("members", new ArrayList<>(((List<?>) config.get("members")).subList(0, 2)));
            assertEquals(1.0, ((Number) set.initiate(config).get("ok")).doubleValue());
            int primary = set.awaitPrimary(Duration.ofSeconds(20));
            assertTrue(primary >= 0);
            set.command(primary, "app", new Document("createIndexes", "big").append("indexes",
                List.of(new Document("key", new Document("k", 1)).append("name", "k_1"))));
            set.command(primary, "other", new Document("insert", "c").append("documents", List.of(new Document("_id", "x"))));
            fill(set, primary, 2);
            Document oldest = first(set.command(primary, "local", new Document("find", "oplog.rs").append("limit", 1)));
            assertEquals("i", oldest.get("op"), "the primary's oplog no longer starts at the beginning: " + oldest);

            Document current = (Document) set.command(primary, "admin", new Document("replSetGetConfig", 1)).get("config");
            List<Object> members = new ArrayList<>((List<?>) current.get("members"));
            members.add(new Document("_id", 2).append("host", set.host(2)).append("priority", 0).append("votes", 0));
            current.put("members", members);
            current.put("version", ((Number) current.get("version")).intValue() + 1);
            Document reconfig = set.command(primary, "admin", new Document("replSetReconfig", current));
            assertEquals(1.0, ((Number) reconfig.get("ok")).doubleValue(), reconfig.toString());

            Poll.until(Duration.ofSeconds(20), "the added member a secondary", () ->
                Boolean.TRUE.equals(command(set, 2, "admin", new Document("hello", 1)).get("secondary")));
            assertEquals(40, count(set, 2, "app", "big"), "every document cloned");
            assertEquals(1, count(set, 2, "other", "c"));
            List<String> indexes = new ArrayList<>();
            for (Object o : (List<?>) ((Document) set.command(2, "app", new Document("listIndexes", "big")
                .append("$readPreference", new Document("mode", "secondaryPreferred"))).get("cursor")).get("firstBatch")) {
                indexes.add((String) ((Document) o).get("name"));
            }
            assertTrue(indexes.contains("k_1"), "the index cloned: " + indexes);
            Document itsOldest = first(set.command(2, "local", new Document("find", "oplog.rs").append("limit", 1)));
            assertTrue(((de.bwaldvogel.mongo.bson.BsonTimestamp) itsOldest.get("ts")).getValue()
                >= ((de.bwaldvogel.mongo.bson.BsonTimestamp) oldest.get("ts")).getValue(), "its oplog starts where the clone began");

            Document later = set.command(primary, "app", new Document("insert", "big").append("documents",
                List.of(new Document("_id", "later"))).append("writeConcern", new Document("w", 3).append("wtimeout", 15_000)));
            assertFalse(later.containsKey("writeConcernError"), later.toString());
            assertEquals(41, count(set, 2, "app", "big"), "then it follows the oplog");
        }
    }

    @Test
    void aMemberThatFellOffTheOplogIsTooStale() throws Exception {
        try (LocalReplicaSet set = startSet("rss")) {
            assertEquals(1.0, ((Number) set.initiate(set.config(200, 2000)).get("ok")).doubleValue());
            int primary = set.awaitPrimary(Duration.ofSeconds(20));
            assertTrue(primary >= 0);
            Document first = set.command(primary, "app", new Document("insert", "big").append("documents",
                List.of(new Document("_id", "first"))).append("writeConcern", new Document("w", 3)));
            assertFalse(first.containsKey("writeConcernError"), first.toString());
            int cut = (primary + 1) % 3;
            set.member(cut).services().replication().pauseSyncForTesting(true);
            fill(set, primary, 2);
            set.member(cut).services().replication().pauseSyncForTesting(false);

            Poll.until(Duration.ofSeconds(15), "the cut-off member RECOVERING, too stale", () -> {
                Document status = command(set, cut, "admin", new Document("replSetGetStatus", 1));
                for (Object m : (List<?>) status.get("members")) {
                    Document member = (Document) m;
                    if (Boolean.TRUE.equals(member.get("self"))) {
                        return ((Number) status.get("myState")).intValue() == 3
                            && String.valueOf(member.get("infoMessage")).contains("too stale to catch up");
                    }
                }
                return false;
            });
            // A getMore in flight when the sync paused may have brought the first few; never one after the gap.
            Document docs = set.command(cut, "app", new Document("find", "big").append("projection", new Document("filler", 0))
                .append("batchSize", 100).append("$readPreference", new Document("mode", "secondaryPreferred")));
            List<Integer> ids = new ArrayList<>();
            for (Object o : (List<?>) ((Document) docs.get("cursor")).get("firstBatch")) {
                if (((Document) o).get("_id") instanceof Integer id) {
                    ids.add(id);
                }
            }
            java.util.Collections.sort(ids);
            for (int i = 0; i < ids.size(); i++) {
                assertEquals(i, ids.get(i), "only a prefix of the writes, no entry after the gap: " + ids);
            }
            assertTrue(ids.size() < 10, "the member stopped well before the end: " + ids);
            assertFalse(Boolean.TRUE.equals(set.command(cut, "admin", new Document("hello", 1)).get("secondary")));
        }
    }

    private static Document first(Document reply) {
        return (Document) ((List<?>) ((Document) reply.get("cursor")).get("firstBatch")).get(0);
    }

    private static long count(LocalReplicaSet set, int member, String db, String coll) throws IOException {
        Document reply = set.command(member, db, new Document("count", coll)
            .append("$readPreference", new Document("mode", "secondaryPreferred")));
        return ((Number) reply.get("n")).longValue();
    }

    private static Document command(LocalReplicaSet set, int member, String db, Document command) {
        try {
            return set.command(member, db, command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
