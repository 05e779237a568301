package io.shardstore.testkit;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

/** A collection range-sharded on {@code k} over two shards: {@code k < 50} on the database's primary shard, the rest on the other. */
public final class TwoShardRange {

    private TwoShardRange() {
    }

    public static MongoCollection<Document> shard(MongoClient router, String db, String coll) {
        String ns = db + "." + coll;
        router.getDatabase("admin").runCommand(new Document("enableSharding", db));
        router.getDatabase("admin").runCommand(new Document("shardCollection", ns).append("key", new Document("k", 1)));
        router.getDatabase("admin").runCommand(new Document("split", ns).append("middle", new Document("k", 50)));
        String primary = router.getDatabase("config").getCollection("databases").find(Filters.eq("_id", db)).first().getString("primary");
        router.getDatabase("admin").runCommand(new Document("moveChunk", ns).append("find", new Document("k", 50))
            .append("to", primary.equals("shard0") ? "shard1" : "shard0"));
        return router.getDatabase(db).getCollection(coll);
    }
}
