package io.shardstore.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;

/**
 * bin/cluster's readiness (issue 10, item 3): the probe returns once a write through the router worked on every
 * shard, and leaves no scratch database behind.
 */
class ReadinessProbeTest {

    @Test
    void writesThroughTheRouterOnEveryShardAndCleansUp() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().shards(2).members(3).start();
             MongoClient config = MongoClients.create(cluster.configUri())) {
            ReadinessProbe.awaitWritable(cluster.uri(), 2, Duration.ofSeconds(30));

            List<Document> left = config.getDatabase("config").getCollection("databases")
                .find(Filters.regex("_id", "^" + ReadinessProbe.SCRATCH_PREFIX)).into(new ArrayList<>());
            assertEquals(List.of(), left, "scratch databases are dropped");
            for (int i = 0; i < 2; i++) {
                try (MongoClient shard = MongoClients.create(cluster.shardUri(i))) {
                    List<String> names = shard.listDatabaseNames().into(new ArrayList<>());
                    assertEquals(0, names.stream().filter(n -> n.startsWith(ReadinessProbe.SCRATCH_PREFIX)).count(), names.toString());
                }
            }
        }
    }
}
