package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.ReadConcern;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.shardstore.cluster.LocalReplicaSet;

/**
 * readConcern on a replica set whose write majority needs a member delayed by 3 s (primary, delayed secondary,
 * arbiter: a majority of the data-bearing voters is both): a "majority" read of a fresh w:1 write waits until
 * the delayed member has it, within maxTimeMS or MaxTimeMSExpired (50); "local" does not wait.
 */
class ReadConcernTest {

    @Test
    void majorityReadsWaitForTheMajorityLocalReadsDoNot() throws Exception {
        try (LocalReplicaSet set = LocalReplicaSet.start("rsc", 3)) {
            de.bwaldvogel.mongo.bson.Document config = set.config(300, 3000);
            List<?> members = (List<?>) config.get("members");
            ((de.bwaldvogel.mongo.bson.Document) members.get(1)).append("priority", 0).append("hidden", true)
                .append("secondaryDelaySecs", 3);
            ((de.bwaldvogel.mongo.bson.Document) members.get(2)).append("arbiterOnly", true);
            assertEquals(1.0, ((Number) set.initiate(config).get("ok")).doubleValue());
            assertEquals(0, set.awaitPrimary(Duration.ofSeconds(20)));
            try (MongoClient client = MongoClients.create("mongodb://" + set.host(0) + "/?directConnection=true")) {
                // An initial sync clones the data as it is (the delay applies to the oplog after it), so the
                // delayed member must have finished it before the write whose majority read is timed.
                Poll.until(Duration.ofSeconds(30), "the delayed member SECONDARY", () -> client.getDatabase("admin")
                    .runCommand(new Document("replSetGetStatus", 1)).getList("members", Document.class).get(1)
                    .getString("stateStr").equals("SECONDARY"));
                MongoCollection<Document> coll = client.getDatabase("app").getCollection("rc").withWriteConcern(WriteConcern.W1);
                coll.insertOne(new Document("_id", 1));

                long start = System.nanoTime();
                assertEquals(1, coll.withReadConcern(ReadConcern.LOCAL).countDocuments());
                long localMillis = (System.nanoTime() - start) / 1_000_000;

                MongoExecutionTimeoutException timeout = assertThrows(MongoExecutionTimeoutException.class, () -> coll
                    .withReadConcern(ReadConcern.MAJORITY).find().maxTime(300, TimeUnit.MILLISECONDS).first());
                assertEquals(50, timeout.getCode());

                start = System.nanoTime();
                assertEquals(1, coll.withReadConcern(ReadConcern.MAJORITY).countDocuments());
                long majorityMillis = (System.nanoTime() - start) / 1_000_000;
                System.out.println("readConcern local " + localMillis + " ms, majority " + majorityMillis + " ms (delayed member 3 s)");
                assertTrue(localMillis < 1_000, "a local read does not wait: " + localMillis + " ms");
                assertTrue(majorityMillis >= 1_000, "a majority read waited for the delayed member: " + majorityMillis + " ms");

                MongoCommandException snapshot = assertThrows(MongoCommandException.class, () -> client.getDatabase("app").runCommand(
                    new Document("find", "rc").append("readConcern", new Document("level", "snapshot"))));
                assertEquals(72, snapshot.getErrorCode());
                MongoCommandException bad = assertThrows(MongoCommandException.class, () -> client.getDatabase("app").runCommand(
                    new Document("find", "rc").append("readConcern", new Document("level", "eventual"))));
                assertEquals(9, bad.getErrorCode());
            }
        }
    }
}
