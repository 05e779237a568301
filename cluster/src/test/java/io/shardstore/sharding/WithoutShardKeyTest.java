package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.node.replication.PeerClient;

/**
 * Single-document writes whose filter names no shard key (MongoDB 7.0, issue 13): {@code updateOne},
 * {@code deleteOne} and {@code replaceOne} by another field on a collection spread over three replica-set shards
 * write exactly one document, also when the same retryable write arrives again (a driver's retry after a lost reply)
 * and its first attempt made the document stop matching, so that a second matching document exists elsewhere.
 */
class WithoutShardKeyTest {
    private static LocalCluster cluster;
    private static MongoClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().shards(3).members(3).configMembers(1).start();
        client = MongoClients.create(cluster.uri());
        client.getDatabase("admin").runCommand(new Document("enableSharding", "wsk"));
        for (String coll : List.of("tasks", "retried", "deleted", "fam")) {
            client.getDatabase("admin").runCommand(new Document("shardCollection", "wsk." + coll).append("key", new Document("k", "hashed")));
        }
    }

    @AfterAll
    static void stop() {
        client.close();
        io.shardstore.testkit.Topology.checkAndClose(cluster);
    }

    private static MongoCollection<Document> fill(String name, int count) {
        MongoCollection<Document> coll = client.getDatabase("wsk").getCollection(name);
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            docs.add(new Document("_id", i).append("k", i).append("status", "new"));
        }
        coll.insertMany(docs);
        return coll;
    }

    @Test
    void updateOneDeleteOneAndReplaceOneWriteExactlyOneDocument() {
        MongoCollection<Document> tasks = fill("tasks", 60);
        assertEquals(1, tasks.updateOne(Filters.eq("status", "new"), Updates.set("status", "taken")).getModifiedCount());
        assertEquals(1, tasks.countDocuments(Filters.eq("status", "taken")));
        assertEquals(1, tasks.deleteOne(Filters.eq("status", "new")).getDeletedCount());
        assertEquals(59, tasks.countDocuments());
        Document taken = tasks.find(Filters.eq("status", "taken")).first();
        assertEquals(1, tasks.replaceOne(Filters.eq("status", "taken"), new Document("k", taken.get("k")).append("status", "replaced"))
            .getModifiedCount());
        assertEquals(1, tasks.countDocuments(Filters.eq("status", "replaced")));
        assertEquals(0, tasks.updateOne(Filters.eq("status", "nothing"), Updates.set("x", 1)).getMatchedCount());
        // A replacement that would change the shard key: ImmutableField, nothing written.
        com.mongodb.MongoWriteException changed = org.junit.jupiter.api.Assertions.assertThrows(com.mongodb.MongoWriteException.class,
            () -> tasks.replaceOne(Filters.eq("status", "replaced"), new Document("k", 99_999).append("status", "moved")));
        assertEquals(66, changed.getError().getCode());
        assertEquals(1, tasks.countDocuments(Filters.eq("status", "replaced")));
        // Twenty takers: twenty distinct documents taken, none twice.
        for (int i = 0; i < 20; i++) {
            assertEquals(1, tasks.updateOne(Filters.eq("status", "new"), Updates.set("status", "taken")).getModifiedCount());
        }
        assertEquals(20, tasks.countDocuments(Filters.eq("status", "taken")));
    }

    @Test
    void aRetriedUpdateWhoseDocumentStoppedMatchingIsNotAppliedAgain() throws Exception {
        fill("retried", 60);
        de.bwaldvogel.mongo.bson.Document update = new de.bwaldvogel.mongo.bson.Document("update", "retried")
            .append("updates", List.of(new de.bwaldvogel.mongo.bson.Document("q", new de.bwaldvogel.mongo.bson.Document("status", "new"))
                .append("u", new de.bwaldvogel.mongo.bson.Document("$set", new de.bwaldvogel.mongo.bson.Document("status", "taken")))))
            .append("lsid", new de.bwaldvogel.mongo.bson.Document("id", UUID.randomUUID())).append("txnNumber", 3L).append("$db", "wsk");
        try (PeerClient raw = new PeerClient("127.0.0.1:" + cluster.routerPort(), 30_000)) {
            for (int attempt = 0; attempt < 3; attempt++) {
                de.bwaldvogel.mongo.bson.Document reply = raw.run("wsk", update.cloneDeeply());
                assertEquals(1, ((Number) reply.get("n")).intValue(), "attempt " + attempt + ": " + reply);
            }
        }
        assertEquals(1, client.getDatabase("wsk").getCollection("retried").countDocuments(Filters.eq("status", "taken")),
            "the retries were answered from the first attempt's record, not applied to other documents");
    }

    @Test
    void findOneAndUpdateTakesTheFirstInSortOrderOnceAlsoWhenRetried() throws Exception {
        MongoCollection<Document> fam = fill("fam", 60);
        Document first = fam.findOneAndUpdate(Filters.eq("status", "new"), Updates.set("status", "top"),
            new com.mongodb.client.model.FindOneAndUpdateOptions().sort(new Document("k", -1)));
        assertEquals(59, first.getInteger("k"), "the first document in sort order over every shard");
        de.bwaldvogel.mongo.bson.Document command = new de.bwaldvogel.mongo.bson.Document("findAndModify", "fam")
            .append("query", new de.bwaldvogel.mongo.bson.Document("status", "new"))
            .append("sort", new de.bwaldvogel.mongo.bson.Document("k", 1))
            .append("update", new de.bwaldvogel.mongo.bson.Document("$set", new de.bwaldvogel.mongo.bson.Document("status", "taken")))
            .append("lsid", new de.bwaldvogel.mongo.bson.Document("id", UUID.randomUUID())).append("txnNumber", 5L).append("$db", "wsk");
        try (PeerClient raw = new PeerClient("127.0.0.1:" + cluster.routerPort(), 30_000)) {
            for (int attempt = 0; attempt < 3; attempt++) {
                de.bwaldvogel.mongo.bson.Document reply = raw.run("wsk", command.cloneDeeply());
                de.bwaldvogel.mongo.bson.Document value = (de.bwaldvogel.mongo.bson.Document) reply.get("value");
                assertEquals(0, ((Number) value.get("k")).intValue(), "attempt " + attempt + ": " + reply);
            }
        }
        assertEquals(1, fam.countDocuments(Filters.eq("status", "taken")), "applied once, retries answered from the record");
        com.mongodb.MongoCommandException upsert = org.junit.jupiter.api.Assertions.assertThrows(com.mongodb.MongoCommandException.class,
            () -> fam.findOneAndUpdate(Filters.eq("status", "none"), Updates.set("x", 1),
                new com.mongodb.client.model.FindOneAndUpdateOptions().upsert(true)));
        assertEquals(61, upsert.getErrorCode(), "an upsert still needs the shard key");
    }

    @Test
    void aRetriedDeleteOneDeletesOneDocument() throws Exception {
        fill("deleted", 60);
        de.bwaldvogel.mongo.bson.Document delete = new de.bwaldvogel.mongo.bson.Document("delete", "deleted")
            .append("deletes", List.of(new de.bwaldvogel.mongo.bson.Document("q", new de.bwaldvogel.mongo.bson.Document("status", "new"))
                .append("limit", 1)))
            .append("lsid", new de.bwaldvogel.mongo.bson.Document("id", UUID.randomUUID())).append("txnNumber", 1L).append("$db", "wsk");
        try (PeerClient raw = new PeerClient("127.0.0.1:" + cluster.routerPort(), 30_000)) {
            for (int attempt = 0; attempt < 3; attempt++) {
                de.bwaldvogel.mongo.bson.Document reply = raw.run("wsk", delete.cloneDeeply());
                assertEquals(1, ((Number) reply.get("n")).intValue(), "attempt " + attempt + ": " + reply);
            }
        }
        assertEquals(59, client.getDatabase("wsk").getCollection("deleted").countDocuments());
    }
}
