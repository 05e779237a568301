package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.cluster.LocalReplicaSet;

/**
 * Retryable writes statement by statement on a replica set's primary (issue 10, item 1): parts of one batch sent
 * under one transaction number with their statement ids are each applied, a retry of the whole batch applies none of
 * them again and says which it retried, a statement never applied is applied by the retry, an older transaction
 * number is refused, and the records replicate: the next primary answers a retry without applying it again.
 */
class RetryableStatementsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static LocalReplicaSet set;

    @BeforeAll
    static void start() throws Exception {
        set = LocalReplicaSet.start("stmts", 3);
        set.initiateAndAwaitPrimary(set.config(250, 1000), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        set.close();
    }

    private static Document insert(String coll, UUID session, long txn, List<Integer> stmtIds, int... ids) {
        List<Document> docs = new ArrayList<>();
        for (int id : ids) {
            docs.add(new Document("_id", id).append("v", id));
        }
        Document cmd = new Document("insert", coll).append("documents", docs).append("ordered", true)
            .append("lsid", new Document("id", session)).append("txnNumber", txn)
            .append("writeConcern", new Document("w", "majority"));
        if (stmtIds != null) {
            cmd.append("stmtIds", stmtIds);
        }
        return cmd;
    }

    private static Document run(Document cmd) throws Exception {
        int primary = set.awaitPrimary(TIMEOUT);
        assertTrue(primary >= 0, "a primary");
        return set.command(primary, "retry", cmd);
    }

    private static long count(String coll) throws Exception {
        Document reply = run(new Document("count", coll));
        return ((Number) reply.get("n")).longValue();
    }

    private static int n(Document reply) {
        assertEquals(1.0, ((Number) reply.get("ok")).doubleValue(), reply.toString());
        return ((Number) reply.get("n")).intValue();
    }

    @Test
    void partsOfOneBatchUnderOneTxnNumberAreEachApplied() throws Exception {
        UUID session = UUID.randomUUID();
        // As a router sends a client's batch [10, 11, 12, 13] split over two shards' turns: ids 0 and 2, then 1 and 3.
        assertEquals(2, n(run(insert("parts", session, 1, List.of(0, 2), 10, 12))));
        Document second = run(insert("parts", session, 1, List.of(1, 3), 11, 13));
        assertEquals(2, n(second), "the second part is not a retry of the first: " + second);
        assertFalse(second.containsKey("retriedStmtIds"), second.toString());
        assertEquals(4, count("parts"));

        // The client retries the whole batch (ids 0..3 by position): nothing applied again, no DuplicateKey.
        Document retry = run(insert("parts", session, 1, null, 10, 11, 12, 13));
        assertEquals(4, n(retry), retry.toString());
        assertFalse(retry.containsKey("writeErrors"), retry.toString());
        assertEquals(List.of(0, 1, 2, 3), retry.get("retriedStmtIds"));
        assertEquals(4, count("parts"));
    }

    @Test
    void aRetryAppliesOnlyTheStatementsNotAppliedBefore() throws Exception {
        UUID session = UUID.randomUUID();
        // Only statements 0 and 1 of [20, 21, 22] reached this shard before the failure the client retries after.
        assertEquals(2, n(run(insert("partial", session, 7, List.of(0, 1), 20, 21))));
        Document retry = run(insert("partial", session, 7, null, 20, 21, 22));
        assertEquals(3, n(retry), retry.toString());
        assertFalse(retry.containsKey("writeErrors"), retry.toString());
        assertEquals(List.of(0, 1), retry.get("retriedStmtIds"));
        assertEquals(3, count("partial"));
    }

    @Test
    void updatesAndDeletesAreRecordedOneByOne() throws Exception {
        UUID session = UUID.randomUUID();
        run(insert("upd", UUID.randomUUID(), 1, null, 1, 2, 3));
        Document update = new Document("update", "upd").append("updates", List.of(
                new Document("q", new Document("_id", 1)).append("u", new Document("$inc", new Document("v", 100))),
                new Document("q", new Document("_id", 2)).append("u", new Document("$inc", new Document("v", 100))),
                new Document("q", new Document("_id", 9)).append("u", new Document("$set", new Document("v", 9))).append("upsert", true)))
            .append("lsid", new Document("id", session)).append("txnNumber", 3L);
        Document first = run(update);
        assertEquals(3, n(first), first.toString());
        assertEquals(2, ((Number) first.get("nModified")).intValue(), first.toString());
        Document again = run(update);
        assertEquals(3, n(again), again.toString());
        assertEquals(2, ((Number) again.get("nModified")).intValue(), again.toString());
        assertEquals(List.of(new Document("index", 2).append("_id", 9)), again.get("upserted"));
        Document doc = (Document) ((List<?>) ((Document) run(new Document("find", "upd")
            .append("filter", new Document("_id", 1))).get("cursor")).get("firstBatch")).get(0);
        assertEquals(101, ((Number) doc.get("v")).intValue(), "the $inc was applied once");

        Document delete = new Document("delete", "upd").append("deletes", List.of(
                new Document("q", new Document("_id", 3)).append("limit", 1)))
            .append("lsid", new Document("id", session)).append("txnNumber", 4L);
        assertEquals(1, n(run(delete)));
        assertEquals(1, n(run(delete)), "a retried delete reports what it deleted the first time");
    }

    @Test
    void aMalformedStatementFailsTheWholeBatchAsWithoutRetries() throws Exception {
        run(insert("malformed", UUID.randomUUID(), 1, null, 1));
        Document update = new Document("update", "malformed").append("updates", List.of(
                new Document("q", new Document("_id", 1)).append("u", new Document("$set", new Document("v", 100))),
                new Document("q", new Document("_id", 1)).append("u", 5)))
            .append("lsid", new Document("id", UUID.randomUUID())).append("txnNumber", 1L);
        Document reply = run(update);
        assertEquals(0.0, ((Number) reply.get("ok")).doubleValue(), reply.toString());
        assertEquals(9, ((Number) reply.get("code")).intValue(), reply.toString());
        Document doc = (Document) ((List<?>) ((Document) run(new Document("find", "malformed")
            .append("filter", new Document("_id", 1))).get("cursor")).get("firstBatch")).get(0);
        assertEquals(1, ((Number) doc.get("v")).intValue(), "the first statement did not run");
    }

    @Test
    void anOlderTxnNumberIsRefused() throws Exception {
        UUID session = UUID.randomUUID();
        assertEquals(1, n(run(insert("old", session, 5, null, 1))));
        assertEquals(1, n(run(insert("old", session, 6, null, 2))));
        Document old = run(insert("old", session, 5, null, 1));
        assertEquals(225, ((Number) old.get("code")).intValue(), old.toString());
        assertEquals("TransactionTooOld", old.get("codeName"));
    }

    @Test
    void theNextPrimaryKnowsWhichStatementsRan() throws Exception {
        UUID session = UUID.randomUUID();
        assertEquals(2, n(run(insert("failover", session, 1, List.of(0, 2), 30, 32))));
        int primary = set.awaitPrimary(TIMEOUT);
        Document stepDown = set.command(primary, "admin", new Document("replSetStepDown", 10).append("force", true));
        assertEquals(1.0, ((Number) stepDown.get("ok")).doubleValue(), stepDown.toString());
        int next = set.awaitPrimary(TIMEOUT, primary);
        assertNotEquals(primary, next);
        Document retry = set.command(next, "retry", insert("failover", session, 1, null, 30, 31, 32));
        assertEquals(3, n(retry), retry.toString());
        assertFalse(retry.containsKey("writeErrors"), retry.toString());
        assertEquals(List.of(0, 2), retry.get("retriedStmtIds"));
        assertEquals(3, count("failover"));
    }
}
