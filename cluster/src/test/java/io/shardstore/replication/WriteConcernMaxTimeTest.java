package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.cluster.LocalReplicaSet;

/**
 * A write whose write concern cannot be met (here: both secondaries of the shard stopped fetching) is answered when
 * its maxTimeMS runs out, with writeConcernError MaxTimeMSExpired (50) as mongod answers, directly and through the
 * router: it does not wait until the router's 30 s shard timeout gives HostUnreachable.
 */
class WriteConcernMaxTimeTest {

    @Test
    void maxTimeMSBoundsTheWaitForTheWriteConcern() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().shards(1).members(3).start();
             MongoClient router = MongoClients.create(MongoClientSettings.builder()
                 .applyConnectionString(new ConnectionString(cluster.uri()))
                 .applyToSocketSettings(s -> s.readTimeout(5, TimeUnit.SECONDS)).build())) {
            router.getDatabase("app").getCollection("c").insertOne(new Document("_id", 0));
            LocalReplicaSet set = cluster.shardSet(0);
            int primary = set.awaitPrimary(Duration.ofSeconds(10));
            for (int i = 0; i < set.size(); i++) {
                if (i != primary) {
                    set.member(i).services().replication().pauseSyncForTesting(true);
                }
            }
            try {
                long start = System.nanoTime();
                Document reply = router.getDatabase("app").runCommand(new Document("insert", "c")
                    .append("documents", List.of(new Document("_id", 1))).append("maxTimeMS", 500)
                    .append("writeConcern", new Document("w", "majority")));
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(1, reply.getInteger("n"), reply.toJson());
                Document wce = reply.get("writeConcernError", Document.class);
                assertEquals(50, wce.getInteger("code"), reply.toJson());
                assertEquals("MaxTimeMSExpired", wce.getString("codeName"));
                assertTrue(millis >= 400 && millis < 4_000, "answered after maxTimeMS, took " + millis + " ms");

                de.bwaldvogel.mongo.bson.Document direct = set.command(primary, "app", new de.bwaldvogel.mongo.bson.Document("insert", "c")
                    .append("documents", List.of(new de.bwaldvogel.mongo.bson.Document("_id", 2))).append("maxTimeMS", 300)
                    .append("writeConcern", new de.bwaldvogel.mongo.bson.Document("w", 3).append("wtimeout", 60_000)));
                assertEquals(50, ((Number) ((de.bwaldvogel.mongo.bson.Document) direct.get("writeConcernError")).get("code")).intValue(),
                    direct.toString());
            } finally {
                for (int i = 0; i < set.size(); i++) {
                    set.member(i).services().replication().pauseSyncForTesting(false);
                }
            }
        }
    }
}
