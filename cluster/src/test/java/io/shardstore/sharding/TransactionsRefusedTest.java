package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.shardstore.cluster.LocalCluster;

/**
 * Multi-document transactions are not implemented. A driver's transaction used to run anyway, one statement at a
 * time: each write applied at once and an abort undid nothing, while commitTransaction failed (59). Now the first
 * statement is refused (263, OperationNotSupportedInTransaction) and nothing is written, through the router and on a shard's primary directly; commit and
 * abort answer NoSuchTransaction (251). Replica-set shards, the Java driver's defaults.
 */
class TransactionsRefusedTest {
    private static LocalCluster cluster;
    private static MongoClient router;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().shards(2).members(3).configMembers(1).start();
        router = MongoClients.create(cluster.uri());
        router.getDatabase("admin").runCommand(new Document("shardCollection", "tx.orders").append("key", new Document("customer", "hashed")));
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        io.shardstore.testkit.Topology.checkAndClose(cluster);
    }

    @Test
    void aTransactionsFirstStatementIsRefusedAndNothingIsWritten() {
        MongoCollection<Document> orders = router.getDatabase("tx").getCollection("orders");
        try (ClientSession session = router.startSession()) {
            session.startTransaction();
            MongoCommandException e = assertThrows(MongoCommandException.class,
                () -> orders.insertOne(session, new Document("customer", 1).append("total", 5)));
            assertEquals(263, e.getErrorCode(), e.getMessage());
            assertTrue(e.getErrorMessage().contains("transactions are not supported"), e.getErrorMessage());
            session.abortTransaction(); // the driver's abort: the server's answer (no transaction) is not an error to it
        }
        assertEquals(0, orders.countDocuments(new Document("customer", 1)));

        try (ClientSession session = router.startSession()) {
            assertThrows(MongoException.class, () -> session.withTransaction(() -> {
                orders.insertOne(session, new Document("customer", 2));
                orders.insertOne(session, new Document("customer", 3));
                return null;
            }));
        }
        assertEquals(0, orders.countDocuments(new Document("customer", new Document("$in", java.util.List.of(2, 3)))));
        // Outside a transaction the same session writes as usual.
        try (ClientSession session = router.startSession()) {
            orders.insertOne(session, new Document("customer", 4));
        }
        assertEquals(1, orders.countDocuments(new Document("customer", 4)));
    }

    @Test
    void commitAndAbortFindNoTransaction() {
        for (String end : java.util.List.of("commitTransaction", "abortTransaction")) {
            MongoCommandException e = assertThrows(MongoCommandException.class,
                () -> router.getDatabase("admin").runCommand(new Document(end, 1)));
            assertEquals(251, e.getErrorCode(), end + ": " + e.getMessage());
        }
    }

    @Test
    void aShardPrimaryRefusesTheStatementToo() {
        try (MongoClient direct = MongoClients.create(cluster.shardUri(0))) {
            MongoCollection<Document> local = direct.getDatabase("tx").getCollection("direct");
            try (ClientSession session = direct.startSession()) {
                session.startTransaction();
                MongoCommandException e = assertThrows(MongoCommandException.class, () -> local.insertOne(session, new Document("_id", 1)));
                assertEquals(263, e.getErrorCode(), e.getMessage());
                session.abortTransaction();
            }
            assertEquals(0, local.countDocuments());
            MongoCommandException commit = assertThrows(MongoCommandException.class,
                () -> direct.getDatabase("admin").runCommand(new Document("commitTransaction", 1)));
            assertEquals(251, commit.getErrorCode());
        }
    }
}
