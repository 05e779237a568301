package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

import io.shardstore.cluster.LocalCluster;

/**
 * Issue 10 ("acknowledged writes it never applies") through the router, on two replica-set shards: what a reply
 * acknowledges is what a read through the router then sees.
 */
class AcknowledgedWritesTest {
    private static LocalCluster cluster;
    private static MongoClient router;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().shards(2).members(3).start();
        router = MongoClients.create(cluster.uri());
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static MongoDatabase admin() {
        return router.getDatabase("admin");
    }

    /** Item 8: a $-prefixed _id is refused at its index; n counts exactly the stored documents. */
    @Test
    void dollarPrefixedIdInAnUnshardedBatch() {
        MongoDatabase db = router.getDatabase("item8");
        Document ordered = db.runCommand(new Document("insert", "plain").append("documents",
            List.of(new Document("_id", 1), new Document("_id", new Document("$a", 1)), new Document("_id", 3))));
        assertEquals(1, ordered.getInteger("n"), ordered.toJson());
        assertEquals(List.of(1), indexes(ordered));
        Document unordered = db.runCommand(new Document("insert", "plain").append("ordered", false).append("documents",
            List.of(new Document("_id", new Document("$a", 1)), new Document("_id", 5), new Document("_id", 6))));
        assertEquals(2, unordered.getInteger("n"), unordered.toJson());
        assertEquals(List.of(0), indexes(unordered));
        assertEquals(52, unordered.getList("writeErrors", Document.class).get(0).getInteger("code"));
        assertEquals(List.of(1, 5, 6), ids(db.getCollection("plain")));
    }

    @Test
    void dollarPrefixedIdInAShardedBatch() {
        admin().runCommand(new Document("enableSharding", "item8s"));
        admin().runCommand(new Document("shardCollection", "item8s.c").append("key", new Document("k", 1)));
        admin().runCommand(new Document("split", "item8s.c").append("middle", new Document("k", 50)));
        String primary = router.getDatabase("config").getCollection("databases").find(new Document("_id", "item8s")).first().getString("primary");
        admin().runCommand(new Document("moveChunk", "item8s.c").append("find", new Document("k", 50))
            .append("to", primary.equals("shard0") ? "shard1" : "shard0"));
        MongoDatabase db = router.getDatabase("item8s");
        Document reply = db.runCommand(new Document("insert", "c").append("ordered", false).append("documents", List.of(
            new Document("_id", 1).append("k", 1), new Document("_id", new Document("$a", 1)).append("k", 60),
            new Document("_id", 3).append("k", 70), new Document("_id", new Document("$b", 1)).append("k", 2))));
        assertEquals(2, reply.getInteger("n"), reply.toJson());
        assertEquals(List.of(1, 3), indexes(reply));
        assertEquals(List.of(1, 3), ids(db.getCollection("c")));
    }

    /** Item 6: $out / $merge into a database whose primary shard is not the source's: visible through the router. */
    @Test
    void outAndMergeIntoAnotherDatabasesPrimaryShard() {
        admin().runCommand(new Document("enableSharding", "item6src").append("primaryShard", "shard0"));
        admin().runCommand(new Document("enableSharding", "item6out").append("primaryShard", "shard1"));
        MongoCollection<Document> source = router.getDatabase("item6src").getCollection("events");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            docs.add(new Document("_id", i).append("g", i % 3));
        }
        source.insertMany(docs);
        MongoDatabase out = router.getDatabase("item6out");

        source.aggregate(List.of(new Document("$group", new Document("_id", "$g").append("n", new Document("$sum", 1))),
            new Document("$out", new Document("db", "item6out").append("coll", "totals")))).toCollection();
        assertEquals(List.of(new Document("_id", 0).append("n", 10), new Document("_id", 1).append("n", 10),
            new Document("_id", 2).append("n", 10)), out.getCollection("totals").find().sort(new Document("_id", 1)).into(new ArrayList<>()));

        out.getCollection("merged").insertOne(new Document("_id", 1).append("kept", true));
        source.aggregate(List.of(new Document("$match", new Document("_id", new Document("$lt", 3))),
            new Document("$merge", new Document("into", new Document("db", "item6out").append("coll", "merged"))
                .append("whenMatched", "merge").append("whenNotMatched", "insert")))).toCollection();
        assertEquals(List.of(new Document("_id", 0).append("g", 0), new Document("_id", 1).append("kept", true).append("g", 1),
            new Document("_id", 2).append("g", 2)), out.getCollection("merged").find().sort(new Document("_id", 1)).into(new ArrayList<>()));
    }

    @Test
    void outFromAShardedSourceIntoAnotherDatabase() {
        admin().runCommand(new Document("enableSharding", "item6s").append("primaryShard", "shard0"));
        admin().runCommand(new Document("enableSharding", "item6sout").append("primaryShard", "shard1"));
        admin().runCommand(new Document("shardCollection", "item6s.c").append("key", new Document("_id", 1)));
        admin().runCommand(new Document("split", "item6s.c").append("middle", new Document("_id", 50)));
        admin().runCommand(new Document("moveChunk", "item6s.c").append("find", new Document("_id", 50)).append("to", "shard1"));
        MongoCollection<Document> source = router.getDatabase("item6s").getCollection("c");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            docs.add(new Document("_id", i).append("even", i % 2 == 0));
        }
        source.insertMany(docs);
        source.aggregate(List.of(new Document("$match", new Document("even", true)),
            new Document("$out", new Document("db", "item6sout").append("coll", "evens")))).toCollection();
        assertEquals(50, router.getDatabase("item6sout").getCollection("evens").countDocuments());
        // Pinned to shard0 by the shard key, output on shard1.
        source.aggregate(List.of(new Document("$match", new Document("_id", 4)),
            new Document("$out", new Document("db", "item6sout").append("coll", "four")))).toCollection();
        assertEquals(List.of(new Document("_id", 4).append("even", true)),
            router.getDatabase("item6sout").getCollection("four").find().into(new ArrayList<>()));
    }

    /** Item 7: an upsert's _id given inside $and / a one-clause $or is the stored _id, on the shard that owns it. */
    @Test
    void findAndModifyUpsertWithIdInsideAndOnAShardedCollection() {
        admin().runCommand(new Document("enableSharding", "item7").append("primaryShard", "shard0"));
        admin().runCommand(new Document("shardCollection", "item7.c").append("key", new Document("_id", 1)));
        admin().runCommand(new Document("split", "item7.c").append("middle", new Document("_id", 50)));
        admin().runCommand(new Document("moveChunk", "item7.c").append("find", new Document("_id", 50)).append("to", "shard1"));
        MongoDatabase db = router.getDatabase("item7");
        Document reply = db.runCommand(new Document("findAndModify", "c")
            .append("query", new Document("$and", List.of(new Document("_id", 70), new Document("x", 1))))
            .append("update", new Document("$set", new Document("y", 2))).append("upsert", true).append("new", true));
        assertEquals(new Document("_id", 70).append("x", 1).append("y", 2), reply.get("value", Document.class));
        db.runCommand(new Document("findAndModify", "c")
            .append("query", new Document("$or", List.of(new Document("_id", 71))))
            .append("update", new Document("$set", new Document("y", 3))).append("upsert", true));
        assertEquals(List.of(70, 71), ids(db.getCollection("c")));
        try (MongoClient shard1 = MongoClients.create(cluster.shardUri(1))) {
            assertEquals(2, shard1.getDatabase("item7").getCollection("c").countDocuments(), "both on the shard owning _id >= 50");
        }
    }

    private static List<Integer> indexes(Document reply) {
        return reply.getList("writeErrors", Document.class, List.of()).stream().map(e -> e.getInteger("index")).toList();
    }

    private static List<Object> ids(MongoCollection<Document> coll) {
        List<Object> out = new ArrayList<>();
        coll.find().sort(new Document("_id", 1)).forEach(d -> out.add(d.get("_id")));
        return out;
    }
}
