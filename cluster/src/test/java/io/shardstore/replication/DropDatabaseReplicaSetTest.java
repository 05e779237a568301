package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.cluster.LocalReplicaSet;

/**
 * Issue 10, item 5: dropDatabase through the router on replica-set shards. The oplog entries it produces apply on
 * every secondary (each member of a set ends with the same databases and documents), config.databases forgets the
 * database, a second drop answers at once, and the database can be created and written again.
 */
class DropDatabaseReplicaSetTest {
    @Test
    void dropDatabaseWithDataOnReplicaSetShards(@TempDir Path root) throws Exception {
        // As bin/cluster starts them: members with a --dbpath, a config replica set.
        try (LocalCluster cluster = LocalCluster.builder().shards(2).members(3).configMembers(3).dataDirectory(root).start();
             MongoClient router = MongoClients.create(MongoClientSettings.builder()
                 .applyConnectionString(new ConnectionString(cluster.uri()))
                 // A hang fails the test in seconds, not after the router's 30 s shard timeout.
                 .applyToSocketSettings(s -> s.readTimeout(5, TimeUnit.SECONDS)).build());
             MongoClient config = MongoClients.create(cluster.configUri())) {
            MongoCollection<Document> items = fill(router);

            assertEquals(1.0, router.getDatabase("app").runCommand(new Document("dropDatabase", 1)).get("ok", Number.class).doubleValue());
            assertEquals(0, config.getDatabase("config").getCollection("databases").countDocuments(Filters.eq("_id", "app")),
                "config.databases forgets the dropped database");
            assertEquals(0, config.getDatabase("config").getCollection("collections").countDocuments(Filters.regex("_id", "^app\\.")));
            assertFalse(router.listDatabaseNames().into(new ArrayList<>()).contains("app"));
            for (int s = 0; s < 2; s++) {
                io.shardstore.testkit.ReplicaSetConsistency.assertMembersAgree(cluster.shardSet(s));
                for (int m = 0; m < 3; m++) {
                    assertFalse(databaseNames(cluster.shardSet(s), m).contains("app"), "shard" + s + " member " + m + " still has app");
                }
            }

            long start = System.nanoTime();
            assertEquals(1.0, router.getDatabase("app").runCommand(new Document("dropDatabase", 1)).get("ok", Number.class).doubleValue());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 3_000, "a second drop answers promptly, took " + millis + " ms");

            // The database comes back and takes writes, on every member.
            items = fill(router);
            assertEquals(100, items.countDocuments());
            for (int s = 0; s < 2; s++) {
                io.shardstore.testkit.ReplicaSetConsistency.assertMembersAgree(cluster.shardSet(s));
            }
        }
    }

    private static MongoCollection<Document> fill(MongoClient router) {
        MongoCollection<Document> items = io.shardstore.testkit.TwoShardRange.shard(router, "app", "items");
        List<Document> docs = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
            docs.add(new Document("k", k));
        }
        items.insertMany(docs);
        router.getDatabase("app").getCollection("plain").insertOne(new Document("_id", 1));
        items.createIndex(new Document("k2", 1));
        return items;
    }

    private static List<String> databaseNames(LocalReplicaSet set, int member) throws IOException {
        List<String> names = new ArrayList<>();
        de.bwaldvogel.mongo.bson.Document reply = set.command(member, "admin", new de.bwaldvogel.mongo.bson.Document("listDatabases", 1));
        for (Object d : (List<?>) reply.get("databases")) {
            String name = (String) ((de.bwaldvogel.mongo.bson.Document) d).get("name");
            if (!name.equals("local") && !name.equals("admin") && !name.equals("config")) {
                names.add(name);
            }
        }
        names.sort(null);
        return names;
    }
}
