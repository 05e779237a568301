package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoWriteConcernException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.shardstore.cluster.LocalReplicaSet;

/**
 * Two data members, a hidden delayed member (secondaryDelaySecs 3, votes 0) and an arbiter: hello lists, the delay,
 * the arbiter keeping no data, wtimeout (64) when a write concern waits for the delayed member.
 */
class MemberKindsTest {

    @Test
    void hiddenDelayedAndArbiterMembers() throws Exception {
        try (LocalReplicaSet set = LocalReplicaSet.start("rsk", 4)) {
            de.bwaldvogel.mongo.bson.Document config = set.config(300, 3000);
            List<?> members = (List<?>) config.get("members");
            ((de.bwaldvogel.mongo.bson.Document) members.get(2)).append("priority", 0).append("hidden", true)
                .append("secondaryDelaySecs", 3).append("votes", 0);
            ((de.bwaldvogel.mongo.bson.Document) members.get(3)).append("arbiterOnly", true);
            assertEquals(1.0, ((Number) set.initiate(config).get("ok")).doubleValue());
            int primary = set.awaitPrimary(Duration.ofSeconds(20));
            assertTrue(primary == 0 || primary == 1, "only members 0 and 1 may be primary, got " + primary);

            de.bwaldvogel.mongo.bson.Document hello = set.command(primary, "admin", new de.bwaldvogel.mongo.bson.Document("hello", 1));
            assertEquals(List.of(set.host(0), set.host(1)), hello.get("hosts"));
            assertEquals(List.of(set.host(3)), hello.get("arbiters"));
            assertFalse(hello.containsKey("passives"), "a hidden member is in no list");
            Poll.until(Duration.ofSeconds(10), "the arbiter and the delayed member in their states", () -> {
                try {
                    de.bwaldvogel.mongo.bson.Document arbiter = set.command(3, "admin", new de.bwaldvogel.mongo.bson.Document("hello", 1));
                    de.bwaldvogel.mongo.bson.Document delayed = set.command(2, "admin", new de.bwaldvogel.mongo.bson.Document("hello", 1));
                    return Boolean.TRUE.equals(arbiter.get("arbiterOnly")) && Boolean.TRUE.equals(delayed.get("hidden"))
                        && Boolean.TRUE.equals(delayed.get("secondary")) && Long.valueOf(3).equals(delayed.get("secondaryDelaySecs"));
                } catch (java.io.IOException e) {
                    return false;
                }
            });

            try (MongoClient client = MongoClients.create(set.uri() + "&serverSelectionTimeoutMS=20000");
                 MongoClient delayed = MongoClients.create("mongodb://" + set.host(2) + "/?directConnection=true&readPreference=secondaryPreferred");
                 MongoClient arbiter = MongoClients.create("mongodb://" + set.host(3) + "/?directConnection=true&readPreference=secondaryPreferred")) {
                MongoCollection<Document> coll = client.getDatabase("app").getCollection("kinds");
                coll.withWriteConcern(WriteConcern.MAJORITY).insertOne(new Document("_id", 1));
                long written = System.nanoTime();
                // w: 3 needs the delayed member: not within 500 ms.
                MongoWriteConcernException timeout = assertThrows(MongoWriteConcernException.class, () -> coll
                    .withWriteConcern(new WriteConcern(3).withWTimeout(500, TimeUnit.MILLISECONDS)).insertOne(new Document("_id", 2)));
                assertEquals(64, timeout.getWriteConcernError().getCode());
                MongoCollection<Document> there = delayed.getDatabase("app").getCollection("kinds");
                Poll.until(Duration.ofSeconds(20), "the write on the delayed member", () -> there.countDocuments(new Document("_id", 1)) == 1);
                long millis = (System.nanoTime() - written) / 1_000_000;
                assertTrue(millis >= 2_000, "the delayed member had the write after " + millis + " ms (delay 3 s, whole seconds)");
                assertEquals(0, arbiter.getDatabase("app").getCollection("kinds").countDocuments(), "an arbiter keeps no data");
            }
        }
    }
}
