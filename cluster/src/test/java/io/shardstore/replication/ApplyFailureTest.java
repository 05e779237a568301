package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.cluster.LocalReplicaSet;
import io.shardstore.node.storage.StorageEngine;

/**
 * Issue 10: a secondary never skips an oplog entry it cannot apply and carries on. Here a secondary already holds
 * the target of a renameCollection the primary ran (planted behind replication's back), so the entry cannot apply
 * there. The member must stop replicating, as mongod's fatal assertion does: it leaves SECONDARY for RECOVERING with
 * the entry named in rs.status(), and applies none of the later writes; the other secondary goes on.
 */
class ApplyFailureTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Test
    void aSecondaryThatCannotApplyAnEntryStopsInsteadOfSkippingIt() throws Exception {
        try (LocalReplicaSet set = LocalReplicaSet.start("raf", 3)) {
            set.initiateAndAwaitPrimary(set.config(250, 2000), TIMEOUT);
            int primary = set.awaitPrimary(TIMEOUT);
            int broken = (primary + 1) % 3;
            int healthy = (primary + 2) % 3;
            ok(set.command(primary, "app", new Document("insert", "src").append("documents", List.of(new Document("_id", 1)))
                .append("writeConcern", new Document("w", 3))));

            // Planted on one secondary only, past the engine's write hooks: no oplog entry, no effect.
            StorageEngine storage = set.member(broken).services().storage();
            storage.submit(() -> storage.backend().resolveDatabase("app").createCollectionOrThrowIfExists("dst")).get();

            ok(set.command(primary, "admin", new Document("renameCollection", "app.src").append("to", "app.dst")
                .append("writeConcern", new Document("w", 1))));
            ok(set.command(primary, "app", new Document("insert", "later").append("documents", List.of(new Document("_id", "after")))
                .append("writeConcern", new Document("w", 2))));

            Poll.until(TIMEOUT, "the member that cannot apply the rename is RECOVERING", () -> state(set, broken) == 3);
            String info = selfInfo(set, broken);
            assertTrue(info.contains("oplog application stopped") && info.contains("renameCollection"), info);
            assertFalse(Boolean.TRUE.equals(set.command(broken, "admin", new Document("hello", 1)).get("secondary")));
            // Nothing after the entry it could not apply: neither the rename's outcome nor the later insert.
            assertNull(storage.submit(() -> storage.findById("app.later", "after")).get(), "a write after the failed entry was applied");
            assertNotNull(storage.submit(() -> storage.findById("app.src", 1)).get(), "the rename was half applied");

            assertEquals(2, state(set, healthy));
            assertNotNull(set.member(healthy).services().storage().submit(
                () -> set.member(healthy).services().storage().findById("app.later", "after")).get());
            // It stays stopped: later entries are not applied either.
            ok(set.command(primary, "app", new Document("insert", "later").append("documents", List.of(new Document("_id", "later2")))
                .append("writeConcern", new Document("w", 2))));
            assertEquals(3, state(set, broken));
            assertNull(storage.submit(() -> storage.findById("app.later", "later2")).get());
        }
    }

    private static void ok(Document reply) {
        assertEquals(1.0, ((Number) reply.get("ok")).doubleValue(), reply.toString());
        assertFalse(reply.containsKey("writeErrors") || reply.containsKey("writeConcernError"), reply.toString());
    }

    private static int state(LocalReplicaSet set, int member) {
        try {
            return ((Number) set.command(member, "admin", new Document("replSetGetStatus", 1)).get("myState")).intValue();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String selfInfo(LocalReplicaSet set, int member) throws IOException {
        Document status = set.command(member, "admin", new Document("replSetGetStatus", 1));
        for (Object m : (List<?>) status.get("members")) {
            if (Boolean.TRUE.equals(((Document) m).get("self"))) {
                return String.valueOf(((Document) m).get("infoMessage"));
            }
        }
        return "";
    }
}
