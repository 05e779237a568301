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

    private static List<Integer> indexes(Document reply) {
        return reply.getList("writeErrors", Document.class, List.of()).stream().map(e -> e.getInteger("index")).toList();
    }

    private static List<Object> ids(MongoCollection<Document> coll) {
        List<Object> out = new ArrayList<>();
        coll.find().sort(new Document("_id", 1)).forEach(d -> out.add(d.get("_id")));
        return out;
    }
}
