package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.bson.Document;
import org.bson.types.Code;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.cluster.LocalCluster;

/**
 * mapReduce (JavaScript) is refused with NotImplemented (238) and a pointer to the aggregation pipeline, through the
 * router and on a shard's primary, and nothing is written; it was CommandNotFound (59), as if MongoDB had no such
 * command. Replica-set shards.
 */
class MapReduceRefusedTest {
    private static LocalCluster cluster;
    private static MongoClient router;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().shards(1).members(3).configMembers(1).start();
        router = MongoClients.create(cluster.uri());
        router.getDatabase("mr").getCollection("c").insertMany(List.of(new Document("k", 1), new Document("k", 2)));
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        io.shardstore.testkit.Topology.checkAndClose(cluster);
    }

    private static Document mapReduce() {
        return new Document("mapReduce", "c").append("map", new Code("function() { emit(this.k, 1); }"))
            .append("reduce", new Code("function(k, v) { return Array.sum(v); }")).append("out", "totals");
    }

    @Test
    void mapReduceIsRefusedAsNotImplementedWithTheAggregationPipelineNamedAndNothingWritten() {
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> router.getDatabase("mr").runCommand(mapReduce()));
        assertEquals(238, e.getErrorCode(), e.getMessage());
        assertEquals("NotImplemented", e.getErrorCodeName());
        assertTrue(e.getErrorMessage().contains("aggregation pipeline"), e.getErrorMessage());
        try (MongoClient primary = MongoClients.create(cluster.shardUri(0))) {
            MongoCommandException direct = assertThrows(MongoCommandException.class, () -> primary.getDatabase("mr").runCommand(mapReduce()));
            assertEquals(238, direct.getErrorCode(), direct.getMessage());
        }
        assertEquals(0, router.getDatabase("mr").getCollection("totals").countDocuments(), "no output collection");
    }
}
