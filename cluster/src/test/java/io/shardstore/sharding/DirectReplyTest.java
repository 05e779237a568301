package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.shardstore.cluster.LocalCluster;

/**
 * A single-shard request answered ok, with no cursor to swap, goes back to the client as the shard's frame came
 * (DirectReply): counted in serverStatus's shardPools.repliesForwarded. Everything else (an error reply, a reply with a
 * cursor, a reply a failCommand fail point changes) is answered as before. Two 3-member shards, the driver's defaults.
 */
class DirectReplyTest {
    private static LocalCluster cluster;
    private static MongoClient client;
    private static MongoCollection<Document> c;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().shards(2).members(3).testCommands(true).start();
        client = MongoClients.create(cluster.uri());
        client.getDatabase("admin").runCommand(new Document("shardCollection", "d.c").append("key", new Document("_id", "hashed")));
        c = client.getDatabase("d").getCollection("c");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            docs.add(new Document("_id", i).append("v", i % 5));
        }
        c.insertMany(docs);
    }

    @AfterAll
    static void stop() {
        client.close();
        cluster.close();
    }

    private static long forwarded() {
        Document status = client.getDatabase("admin").runCommand(new Document("serverStatus", 1));
        return ((Number) status.get("shardPools", Document.class).get("repliesForwarded")).longValue();
    }

    @Test
    void targetedWritesAndSingleBatchReadsGoBackAsTheShardSentThem() {
        long before = forwarded();
        for (int i = 0; i < 10; i++) {
            assertEquals(1, c.updateOne(Filters.eq("_id", i), Updates.inc("n", 1)).getModifiedCount());
        }
        c.insertOne(new Document("_id", 1000).append("v", 1));
        assertEquals(1, c.deleteOne(Filters.eq("_id", 1000)).getDeletedCount());
        assertEquals(3, c.find(Filters.eq("_id", 3)).first().getInteger("v"));
        assertEquals(before + 13, forwarded());
        // What they acknowledged is there.
        assertEquals(10, c.countDocuments(Filters.eq("n", 1)));
        assertEquals(100, c.countDocuments());
    }

    @Test
    void aWriteErrorInAnOkReplyIsTheClientsAsItCame() {
        long before = forwarded();
        MongoWriteException e = assertThrows(MongoWriteException.class, () -> c.insertOne(new Document("_id", 7)));
        assertEquals(11000, e.getCode());
        assertEquals(before + 1, forwarded());
    }

    @Test
    void anErrorReplyAndACursorAreAnsweredByTheRouter() {
        long before = forwarded();
        MongoCommandException e = assertThrows(MongoCommandException.class,
            () -> c.find(Filters.and(Filters.eq("_id", 4), new Document("v", new Document("$bogus", 1)))).first());
        assertEquals(2, e.getErrorCode());
        assertEquals(before, forwarded());
        // An unsharded collection is read on its primary shard alone, and a first batch of 2 leaves a cursor open.
        MongoCollection<Document> plain = client.getDatabase("d").getCollection("plain");
        plain.insertOne(new Document("_id", 0)); // the routing of a new collection is read first: the usual way back
        long afterFirst = forwarded();
        for (int i = 1; i < 10; i++) {
            plain.insertOne(new Document("_id", i));
        }
        long afterInserts = forwarded();
        assertEquals(afterFirst + 9, afterInserts);
        List<Integer> ids = new ArrayList<>();
        plain.find().sort(new Document("_id", 1)).batchSize(2).forEach(d -> ids.add(d.getInteger("_id")));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), ids);
        assertEquals(afterInserts, forwarded());
    }

    @Test
    void aReplyTheFailPointChangesIsNotForwarded() {
        client.getDatabase("admin").runCommand(new Document("configureFailPoint", "failCommand")
            .append("mode", new Document("times", 1))
            .append("data", new Document("failCommands", List.of("update"))
                .append("writeConcernError", new Document("code", 100).append("codeName", "UnsatisfiableWriteConcern")
                    .append("errmsg", "not enough data-bearing nodes"))));
        long before = forwarded();
        MongoWriteConcernException e = assertThrows(MongoWriteConcernException.class,
            () -> c.updateOne(Filters.eq("_id", 50), Updates.set("wce", true)));
        assertEquals(100, e.getWriteConcernError().getCode());
        assertEquals(before, forwarded());
        assertEquals(1, c.countDocuments(Filters.eq("wce", true)));
    }
}
