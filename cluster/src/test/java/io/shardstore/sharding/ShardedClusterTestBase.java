package io.shardstore.sharding;

import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.shardstore.cluster.LocalCluster;

/** A 3-shard in-JVM cluster (single nodes or replica sets: {@code Topology}) shared by a test class, with direct clients to each shard to check what landed where. */
abstract class ShardedClusterTestBase {
    static LocalCluster cluster;
    static MongoClient router;
    static List<MongoClient> shards = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = io.shardstore.testkit.Topology.start(3);
        router = MongoClients.create(cluster.uri());
        for (int i = 0; i < 3; i++) {
            shards.add(MongoClients.create(cluster.shardUri(i)));
        }
    }

    @AfterAll
    static void stopCluster() {
        shards.forEach(MongoClient::close);
        shards.clear();
        router.close();
        io.shardstore.testkit.Topology.checkAndClose(cluster);
    }

    static MongoDatabase admin() {
        return router.getDatabase("admin");
    }

    static void shardCollection(String ns, Document key) {
        admin().runCommand(new Document("shardCollection", ns).append("key", key));
    }

    /**
     * Range-shards {@code ns} on {@code field} with primary shard0, split at the given points; the chunk starting
     * at split i is moved to shard ((i + 1) % 3), the first chunk stays on shard0.
     */
    static void rangeShard(String ns, String field, int... splits) {
        admin().runCommand(new Document("enableSharding", ns.substring(0, ns.indexOf('.'))).append("primaryShard", "shard0"));
        shardCollection(ns, new Document(field, 1));
        for (int at : splits) {
            admin().runCommand(new Document("split", ns).append("middle", new Document(field, at)));
        }
        for (int i = 0; i < splits.length; i++) {
            admin().runCommand(new Document("moveChunk", ns).append("find", new Document(field, splits[i])).append("to", "shard" + ((i + 1) % 3)));
        }
    }

    /** serverStatus.opcounters of each shard, read on the shard itself. */
    static List<Document> opcounters() {
        List<Document> out = new ArrayList<>();
        for (MongoClient s : shards) {
            out.add(s.getDatabase("admin").runCommand(new Document("serverStatus", 1)).get("opcounters", Document.class));
        }
        return out;
    }

    /**
     * The {@code top} count of {@code kind} ("commands", "queries"...) for {@code ns} on each shard's primary. Unlike
     * opcounters.command, which on a replica-set primary also counts its secondaries' heartbeats and position
     * reports, it moves only with operations on that collection.
     */
    static List<Long> topCounts(String ns, String kind) {
        List<Long> out = new ArrayList<>();
        for (MongoClient s : shards) {
            Document totals = s.getDatabase("admin").runCommand(new Document("top", 1)).get("totals", Document.class);
            Document entry = totals.get(ns, Document.class);
            out.add(entry == null ? 0L : ((Number) entry.get(kind, Document.class).get("count")).longValue());
        }
        return out;
    }

    /** How much counter {@code name} grew on each shard between two readings. */
    static List<Long> delta(List<Document> before, List<Document> after, String name) {
        List<Long> d = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            d.add(((Number) after.get(i).get(name)).longValue() - ((Number) before.get(i).get(name)).longValue());
        }
        return d;
    }

    static long countOnShard(int shard, String db, String coll, Document filter) {
        return shards.get(shard).getDatabase(db).getCollection(coll).countDocuments(filter);
    }
}
