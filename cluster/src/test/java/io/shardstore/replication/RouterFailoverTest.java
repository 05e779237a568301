package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.shardstore.cluster.LocalReplicaSet;
import io.shardstore.config.ConfigServer;
import io.shardstore.node.NodeOptions;
import io.shardstore.router.Router;
import io.shardstore.router.RouterOptions;

/**
 * The router in front of a replica-set shard whose primary stops in the middle of a stream of writes: the
 * router holds the writes until the set has a new primary and sends them there, so the client sees no error,
 * and every write is there exactly once (the driver's retryable writes carry lsid + txnNumber, so a write
 * the old primary may have run is recognised by the new one). Reads that allow a secondary keep working.
 */
class RouterFailoverTest {

    @Test
    void writesFollowTheNewPrimary() throws Exception {
        try (LocalReplicaSet set = LocalReplicaSet.start("rsrf", 3)) {
            assertEquals(1.0, ((Number) set.initiate(set.config(250, 1000)).get("ok")).doubleValue());
            int old = set.awaitPrimary(Duration.ofSeconds(20));
            assertTrue(old >= 0, "a first primary");
            try (ConfigServer config = ConfigServer.start(NodeOptions.inMemory(0), 600_000);
                 Router router = Router.start(RouterOptions.of("127.0.0.1:" + config.port(), 0));
                 MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + router.port() + "/?serverSelectionTimeoutMS=20000")) {
                client.getDatabase("admin").runCommand(new Document("addShard",
                    "rsrf/" + set.host(0) + "," + set.host(1) + "," + set.host(2)).append("name", "rsrf"));
                MongoCollection<Document> coll = client.getDatabase("fo").getCollection("stream").withWriteConcern(WriteConcern.MAJORITY);
                coll.insertOne(new Document("_id", -1)); // creates the database on the shard before the clock starts

                long slowest = 0;
                long stoppedAt = 0;
                for (int i = 0; i < 200; i++) {
                    if (i == 50) {
                        set.stop(old);
                        stoppedAt = System.nanoTime();
                    }
                    long start = System.nanoTime();
                    coll.insertOne(new Document("_id", i)); // no catch: the router must hide the failover
                    slowest = Math.max(slowest, System.nanoTime() - start);
                }
                int next = set.awaitPrimary(Duration.ofSeconds(1), old);
                assertNotEquals(-1, next, "a new primary");
                System.out.printf("router failover: old primary stopped, slowest insert held %d ms, 150 inserts after the stop in %d ms%n",
                    slowest / 1_000_000, (System.nanoTime() - stoppedAt) / 1_000_000);

                List<Document> all = coll.find().into(new ArrayList<>());
                assertEquals(201, all.size(), "every write exactly once");
                assertEquals(201, all.stream().map(d -> d.get("_id")).distinct().count());
                assertEquals(201, coll.withReadPreference(ReadPreference.primaryPreferred()).countDocuments());
            }
        }
    }
}
