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
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

import io.shardstore.cluster.LocalCluster;

class ShardingSmokeTest {
    static LocalCluster cluster;
    static MongoClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(3);
        client = MongoClients.create(cluster.uri());
    }

    @AfterAll
    static void stop() {
        client.close();
        cluster.close();
    }

    @Test
    void hashedCollectionSpreadsAndReadsBack() {
        client.getDatabase("admin").runCommand(new Document("enableSharding", "smoke"));
        client.getDatabase("admin").runCommand(new Document("shardCollection", "smoke.h").append("key", new Document("k", "hashed")));
        MongoCollection<Document> c = client.getDatabase("smoke").getCollection("h");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            docs.add(new Document("k", i).append("v", i % 7));
        }
        c.insertMany(docs);
        assertEquals(300, c.countDocuments());
        assertEquals(1, c.countDocuments(Filters.eq("k", 42)));
        List<Integer> sorted = c.find(Filters.lt("k", 10)).sort(Sorts.descending("k")).map(d -> d.getInteger("k")).into(new ArrayList<>());
        assertEquals(List.of(9, 8, 7, 6, 5, 4, 3, 2, 1, 0), sorted);
        int total = 0;
        for (int i = 0; i < 3; i++) {
            try (MongoClient shard = MongoClients.create(cluster.shardUri(i))) {
                long n = shard.getDatabase("smoke").getCollection("h").countDocuments();
                total += n;
                org.junit.jupiter.api.Assertions.assertTrue(n > 50, "shard " + i + " holds " + n);
            }
        }
        assertEquals(300, total);
    }
}
