package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.WriteConcern;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.node.replication.PeerClient;

/**
 * Issue 10, items 1 and 2, as a user met them: the Java driver with its default options (retryable writes on)
 * through the router, on replica-set shards, a collection sharded on a hashed key. Every acknowledged write is
 * applied exactly once, also when the client retries a whole batch the router split, and one connection's
 * unacknowledged writes apply in the order sent.
 */
class RouterRetryableWritesTest {
    private static LocalCluster cluster;
    private static MongoClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().shards(2).members(3).configMembers(1).start();
        client = MongoClients.create(cluster.uri());
        client.getDatabase("admin").runCommand(new Document("enableSharding", "app"));
        for (String coll : List.of("h", "retry", "w0")) {
            client.getDatabase("admin").runCommand(new Document("shardCollection", "app." + coll).append("key", new Document("k", "hashed")));
        }
    }

    @AfterAll
    static void stop() {
        client.close();
        cluster.close();
    }

    private static MongoCollection<Document> coll() {
        return coll("h");
    }

    private static MongoCollection<Document> coll(String name) {
        return client.getDatabase("app").getCollection(name);
    }

    @Test
    void defaultOptionsApplyEveryAcknowledgedWriteOnce() {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            docs.add(new Document("_id", i).append("k", i));
        }
        coll().insertMany(docs);
        assertEquals(2000, coll().countDocuments(Filters.and(Filters.gte("_id", 0), Filters.lt("_id", 2000))), "ordered insertMany of 2,000");

        List<WriteModel<Document>> inserts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            inserts.add(new InsertOneModel<>(new Document("_id", 10_000 + i).append("k", 10_000 + i)));
        }
        BulkWriteResult inserted = coll().bulkWrite(inserts);
        assertEquals(100, inserted.getInsertedCount());
        assertEquals(100, coll().countDocuments(Filters.and(Filters.gte("_id", 10_000), Filters.lt("_id", 20_000))));

        List<WriteModel<Document>> updates = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            updates.add(new UpdateOneModel<>(Filters.eq("k", i), Updates.inc("u", 1)));
        }
        BulkWriteResult updated = coll().bulkWrite(updates);
        assertEquals(20, updated.getModifiedCount());
        assertEquals(20, coll().countDocuments(Filters.eq("u", 1)), "each $inc applied once");

        List<WriteModel<Document>> deletes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            deletes.add(new DeleteOneModel<>(Filters.eq("k", i)));
        }
        assertEquals(20, coll().bulkWrite(deletes).getDeletedCount());
        assertEquals(0, coll().countDocuments(Filters.lt("k", 20)));
    }

    @Test
    void aRetriedSplitBatchAppliesNothingTwice() throws Exception {
        de.bwaldvogel.mongo.bson.Document lsid = new de.bwaldvogel.mongo.bson.Document("id", UUID.randomUUID());
        List<de.bwaldvogel.mongo.bson.Document> docs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            docs.add(new de.bwaldvogel.mongo.bson.Document("_id", 50_000 + i).append("k", 50_000 + i));
        }
        de.bwaldvogel.mongo.bson.Document insert = new de.bwaldvogel.mongo.bson.Document("insert", "retry").append("documents", docs)
            .append("lsid", lsid).append("txnNumber", 1L);
        try (PeerClient raw = new PeerClient("127.0.0.1:" + cluster.routerPort(), 30_000)) {
            de.bwaldvogel.mongo.bson.Document first = raw.run("app", insert);
            assertEquals(50, ((Number) first.get("n")).intValue(), first.toString());
            // The same request again, as a driver retries after a lost reply: the same answer, nothing applied twice.
            de.bwaldvogel.mongo.bson.Document retry = raw.run("app", insert);
            assertEquals(50, ((Number) retry.get("n")).intValue(), retry.toString());
            assertFalse(retry.containsKey("writeErrors"), retry.toString());
        }
        assertEquals(50, coll("retry").countDocuments());
    }

    @Test
    void aBatchRetriedThroughAnotherRouterAppliesNothingTwice() throws Exception {
        client.getDatabase("admin").runCommand(new Document("shardCollection", "app.other").append("key", new Document("k", "hashed")));
        List<de.bwaldvogel.mongo.bson.Document> docs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            docs.add(new de.bwaldvogel.mongo.bson.Document("_id", i).append("k", i));
        }
        de.bwaldvogel.mongo.bson.Document insert = new de.bwaldvogel.mongo.bson.Document("insert", "other").append("documents", docs)
            .append("ordered", false).append("lsid", new de.bwaldvogel.mongo.bson.Document("id", UUID.randomUUID()))
            .append("txnNumber", 9L);
        try (io.shardstore.router.Router second = io.shardstore.router.Router.start(
                io.shardstore.router.RouterOptions.of("127.0.0.1:" + cluster.configPort(), 0));
             PeerClient first = new PeerClient("127.0.0.1:" + cluster.routerPort(), 30_000);
             PeerClient other = new PeerClient("127.0.0.1:" + second.port(), 30_000)) {
            assertEquals(40, ((Number) first.run("app", insert).get("n")).intValue());
            // The client lost the reply and retries through another router: same statement ids, nothing applied again.
            de.bwaldvogel.mongo.bson.Document retry = other.run("app", insert);
            assertEquals(40, ((Number) retry.get("n")).intValue(), retry.toString());
            assertFalse(retry.containsKey("writeErrors"), retry.toString());
        }
        assertEquals(40, coll("other").countDocuments());
    }

    @Test
    void unacknowledgedWritesOfOneConnectionApplyInOrder() {
        coll("w0").insertOne(new Document("_id", -1).append("k", -1).append("v", -1));
        try (MongoClient one = MongoClients.create(cluster.uri() + "/?maxPoolSize=1")) {
            MongoCollection<Document> unacknowledged = one.getDatabase("app").getCollection("w0").withWriteConcern(WriteConcern.UNACKNOWLEDGED);
            // As the user did: by _id on a collection sharded on k, so each update goes to every shard.
            for (int i = 0; i < 300; i++) {
                unacknowledged.updateOne(Filters.eq("_id", -1), Updates.set("v", i));
            }
            // Read on the same connection: it runs after the writes sent before it.
            Document doc = one.getDatabase("app").getCollection("w0").find(Filters.eq("_id", -1)).first();
            assertEquals(299, doc.getInteger("v"), "the last of 300 w:0 updates wins");
        }
    }
}
