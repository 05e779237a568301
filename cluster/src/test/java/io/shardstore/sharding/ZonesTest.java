package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.replication.Poll;

/**
 * Zones (issue 14, item 5) on 3-member shards: {@code addShardToZone} / {@code updateZoneKeyRange} as mongosh's
 * sh.* helpers send them, the ranges in config.tags and the zones in config.shards, and the balancer splitting at
 * the ranges' bounds and moving each range's chunks, with their documents, to its zone's shard.
 */
class ZonesTest {
    private static LocalCluster cluster;
    private static MongoClient client;
    private static MongoDatabase admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().shards(2).members(3).configMembers(1).balancerIntervalMillis(200).start();
        client = MongoClients.create(cluster.uri());
        admin = client.getDatabase("admin");
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        io.shardstore.testkit.Topology.checkAndClose(cluster);
    }

    @Test
    void theBalancerMovesEachRangesChunksToItsZonesShard() {
        admin.runCommand(new Document("enableSharding", "zoned"));
        admin.runCommand(new Document("shardCollection", "zoned.people").append("key", new Document("x", 1)));
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            docs.add(new Document("_id", i).append("x", i));
        }
        client.getDatabase("zoned").getCollection("people").insertMany(docs);
        admin.runCommand(new Document("addShardToZone", "shard0").append("zone", "low"));
        admin.runCommand(new Document("addShardToZone", "shard1").append("zone", "high"));
        admin.runCommand(new Document("updateZoneKeyRange", "zoned.people").append("min", new Document("x", new BsonMinKey()))
            .append("max", new Document("x", 30)).append("zone", "low"));
        admin.runCommand(new Document("updateZoneKeyRange", "zoned.people").append("min", new Document("x", 60))
            .append("max", new Document("x", new BsonMaxKey())).append("zone", "high"));
        MongoDatabase config = client.getDatabase("config");
        assertEquals(2, config.getCollection("tags").countDocuments(Filters.eq("ns", "zoned.people")));
        assertEquals(List.of("low"), config.getCollection("shards").find(Filters.eq("_id", "shard0")).first().getList("tags", String.class));

        // Split at 30 and 60; [60, MaxKey) on shard1, [MinKey, 30) on shard0; [30, 60) is in no zone and may stay anywhere.
        Poll.until(Duration.ofSeconds(60), "the zones' chunks on their shards", () -> {
            boolean low = false;
            boolean high = false;
            for (Document c : config.getCollection("chunks").find()) {
                Document min = (Document) c.get("min");
                Document max = (Document) c.get("max");
                if (max.get("x") instanceof Integer hi && hi == 30 && min.get("x") instanceof org.bson.types.MinKey) {
                    low = "shard0".equals(c.getString("shard"));
                }
                if (min.get("x") instanceof Integer lo && lo == 60 && max.get("x") instanceof org.bson.types.MaxKey) {
                    high = "shard1".equals(c.getString("shard"));
                }
            }
            return low && high;
        });
        // The documents moved with their chunks: each shard's primary holds its zone's range.
        try (MongoClient shard1 = MongoClients.create(cluster.shardUri(1)); MongoClient shard0 = MongoClients.create(cluster.shardUri(0))) {
            Poll.until(Duration.ofSeconds(30), "documents of x >= 60 on shard1 only", () ->
                shard1.getDatabase("zoned").getCollection("people").countDocuments(Filters.gte("x", 60)) == 40
                    && shard0.getDatabase("zoned").getCollection("people").countDocuments(Filters.gte("x", 60)) == 0);
            assertEquals(30, shard0.getDatabase("zoned").getCollection("people").countDocuments(Filters.lt("x", 30)));
        }
        assertEquals(100, client.getDatabase("zoned").getCollection("people").countDocuments());
        assertEquals(1, client.getDatabase("zoned").getCollection("people").countDocuments(Filters.eq("x", 75)));
    }

    @Test
    void zoneCommandsRefuseWhatMongoDbRefuses() {
        admin.runCommand(new Document("enableSharding", "zerr"));
        admin.runCommand(new Document("shardCollection", "zerr.c").append("key", new Document("k", 1)));
        admin.runCommand(new Document("addShardToZone", "shard0").append("zone", "z"));
        assertEquals(70, code(new Document("addShardToZone", "shard9").append("zone", "z")));
        assertEquals(177, code(range("zerr.c", 0, 10, "nowhere")));
        assertEquals(9, code(range("zerr.c", 10, 0, "z")));
        assertEquals(61, code(new Document("updateZoneKeyRange", "zerr.c").append("min", new Document("other", 0))
            .append("max", new Document("other", 5)).append("zone", "z")));
        admin.runCommand(range("zerr.c", 0, 10, "z"));
        admin.runCommand(range("zerr.c", 0, 10, "z")); // the same range again: fine
        assertEquals(178, code(range("zerr.c", 5, 15, "z")));
        // The last shard of a zone a range uses cannot leave it; once the range is gone it can.
        assertEquals(163, code(new Document("removeShardFromZone", "shard0").append("zone", "z")));
        admin.runCommand(new Document("updateZoneKeyRange", "zerr.c").append("min", new Document("k", 0))
            .append("max", new Document("k", 10)).append("zone", null));
        assertEquals(0, client.getDatabase("config").getCollection("tags").countDocuments(Filters.eq("ns", "zerr.c")));
        admin.runCommand(new Document("removeShardFromZone", "shard0").append("zone", "z"));
        assertTrue(client.getDatabase("config").getCollection("shards").find(Filters.eq("_id", "shard0")).first()
            .getList("tags", String.class, List.of()).stream().noneMatch("z"::equals));
    }

    private static Document range(String ns, int min, int max, String zone) {
        return new Document("updateZoneKeyRange", ns).append("min", new Document("k", min)).append("max", new Document("k", max))
            .append("zone", zone);
    }

    private static int code(Document command) {
        return assertThrows(MongoCommandException.class, () -> admin.runCommand(command)).getErrorCode();
    }
}
