package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.cluster.LocalReplicaSet;

/** A deposed primary's unreplicated writes are rolled back and kept in <dbpath>/rollback/<db>.<coll>/removed.*.bson. */
class RollbackFilesTest {

    @Test
    void rolledBackDocumentsAreKeptInRollbackFiles(@TempDir Path dir) throws Exception {
        try (LocalReplicaSet set = LocalReplicaSet.startDurable("rsb", 3, dir)) {
            assertEquals(1.0, ((Number) set.initiate(set.config(200, 2000)).get("ok")).doubleValue());
            int old = set.awaitPrimary(Duration.ofSeconds(20));
            assertTrue(old >= 0);
            write(set, old, new Document("insert", "diverge").append("documents", List.of(new Document("_id", "everywhere")))
                .append("writeConcern", new Document("w", 3)));
            for (int i = 0; i < 3; i++) {
                if (i != old) {
                    set.member(i).services().replication().pauseSyncForTesting(true);
                }
            }
            // Writes only the old primary gets (w: 1), then it steps down and a cut-off secondary takes over.
            // (w: 1 spelled out: the implicit default is "majority", which the paused secondaries would never give.)
            write(set, old, new Document("insert", "diverge").append("documents", List.of(new Document("_id", "only-on-old")))
                .append("writeConcern", new Document("w", 1)));
            write(set, old, new Document("update", "diverge").append("updates", List.of(new Document("q", new Document("_id", "everywhere"))
                .append("u", new Document("$set", new Document("changed", true))))).append("writeConcern", new Document("w", 1)));
            write(set, old, new Document("replSetStepDown", 60).append("secondaryCatchUpPeriodSecs", 0).append("force", true), "admin");
            // Ask one secondary to stand; the other may win its own election first (both are equally up to date),
            // which serves the test as well: what matters is a new primary without the old one's last writes.
            set.command((old + 1) % 3, "admin", new Document("replSetStepUp", 1));
            int next = set.awaitPrimary(Duration.ofSeconds(15), old);
            assertTrue(next >= 0 && next != old, "a secondary became primary: " + next);
            for (int i = 0; i < 3; i++) {
                set.member(i).services().replication().pauseSyncForTesting(false);
            }
            write(set, next, new Document("insert", "diverge").append("documents", List.of(new Document("_id", "after")))
                .append("writeConcern", new Document("w", 3).append("wtimeout", 15_000)));

            Path rollbackDir = dir.resolve("m" + old).resolve("rollback").resolve("app.diverge");
            Poll.until(Duration.ofSeconds(10), "a rollback file of app.diverge", () -> files(rollbackDir).size() == 1);
            Path file = files(rollbackDir).get(0);
            assertTrue(file.getFileName().toString().matches("removed\\..+\\.bson"), file.toString());
            List<RawBsonDocument> kept = read(file);
            assertEquals(2, kept.size(), kept.toString());
            List<Object> ids = new ArrayList<>();
            for (RawBsonDocument d : kept) {
                ids.add(d.getString("_id").getValue());
                if (d.getString("_id").getValue().equals("everywhere")) {
                    assertTrue(d.getBoolean("changed").getValue(), "the old primary's version is kept: " + d);
                }
            }
            assertTrue(ids.containsAll(List.of("only-on-old", "everywhere")), ids.toString());
            Document there = set.command(old, "app", new Document("find", "diverge").append("filter", new Document("_id", "only-on-old"))
                .append("$readPreference", new Document("mode", "secondaryPreferred")));
            assertTrue(((List<?>) ((Document) there.get("cursor")).get("firstBatch")).isEmpty(), "rolled back: " + there);
        }
    }

    private static void write(LocalReplicaSet set, int member, Document command) throws java.io.IOException {
        write(set, member, command, "app");
    }

    private static void write(LocalReplicaSet set, int member, Document command, String db) throws java.io.IOException {
        Document reply = set.command(member, db, command);
        assertEquals(1.0, ((Number) reply.get("ok")).doubleValue(), reply.toString());
        assertTrue(!reply.containsKey("writeErrors") && !reply.containsKey("writeConcernError"), reply.toString());
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<RawBsonDocument> read(Path file) throws java.io.IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<RawBsonDocument> out = new ArrayList<>();
        while (buf.remaining() > 0) {
            int length = buf.getInt(buf.position());
            byte[] one = new byte[length];
            buf.get(one);
            out.add(new RawBsonDocument(one));
        }
        return out;
    }
}
