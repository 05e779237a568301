package io.shardstore.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

import io.shardstore.cluster.LocalCluster;

/** The example of the README: an application's test against a sharded cluster, with one annotation. */
@ShardstoreCluster(shards = 2, shardedCollections = "shop.orders={customerId: 'hashed'}")
class ShardstoreClusterExampleTest {

    @Test
    void ordersAreSpreadOverTheShards(MongoClient client, LocalCluster cluster) {
        MongoCollection<Document> orders = client.getDatabase("shop").getCollection("orders");
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            batch.add(new Document("customerId", i).append("total", i * 10));
        }
        orders.insertMany(batch);
        assertEquals(200, orders.countDocuments());
        // Each shard holds part of the collection (read directly from the shard, not through the router).
        for (int s = 0; s < 2; s++) {
            try (MongoClient shard = MongoClients.create("mongodb://127.0.0.1:" + cluster.shards().get(s).port())) {
                long here = shard.getDatabase("shop").getCollection("orders").countDocuments();
                assertTrue(here > 0 && here < 200, "shard" + s + " holds " + here);
            }
        }
    }

    @Test
    void anInsertWithoutTheShardKeyIsRefused(MongoClient client) {
        MongoCollection<Document> orders = client.getDatabase("shop").getCollection("orders");
        com.mongodb.MongoWriteException e = org.junit.jupiter.api.Assertions.assertThrows(com.mongodb.MongoWriteException.class,
            () -> orders.insertOne(new Document("total", 5)));
        assertEquals(61, e.getError().getCode());
    }

    @Test
    void eachTestGetsADatabaseOfItsOwn(MongoDatabase db, ConnectionString uri) {
        assertEquals(0, db.getCollection("scratch").countDocuments(), "a new database is empty");
        db.getCollection("scratch").insertOne(new Document("x", 1));
        assertEquals(1, db.getCollection("scratch").countDocuments());
        assertTrue(uri.getHosts().get(0).startsWith("127.0.0.1:"));
    }

    @Test
    void anotherTestDoesNotSeeThatData(MongoDatabase db) {
        assertEquals(0, db.getCollection("scratch").countDocuments());
    }
}
