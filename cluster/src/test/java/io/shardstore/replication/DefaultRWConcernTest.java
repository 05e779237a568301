package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.shardstore.cluster.LocalReplicaSet;

/**
 * setDefaultRWConcern / getDefaultRWConcern: the set's default write concern, stored in config.settings, applies to
 * writes that name no w (here w: 3 with a 3 s delayed member and wtimeout 500, so it times out with 64), is
 * refused on a secondary (10107), and still applies on the next primary after a step-down (it replicated).
 */
class DefaultRWConcernTest {

    @Test
    void theStoredDefaultAppliesToWritesWithoutW() throws Exception {
        try (LocalReplicaSet set = LocalReplicaSet.start("rsd", 3)) {
            de.bwaldvogel.mongo.bson.Document config = set.config(250, 1000);
            List<?> members = (List<?>) config.get("members");
            ((de.bwaldvogel.mongo.bson.Document) members.get(2)).append("priority", 0).append("hidden", true)
                .append("secondaryDelaySecs", 3).append("votes", 0);
            assertEquals(1.0, ((Number) set.initiate(config).get("ok")).doubleValue());
            int primary = set.awaitPrimary(Duration.ofSeconds(20));
            assertTrue(primary == 0 || primary == 1);
            try (MongoClient client = MongoClients.create(set.uri() + "&serverSelectionTimeoutMS=20000")) {
                Document implicit = client.getDatabase("admin").runCommand(new Document("getDefaultRWConcern", 1));
                assertEquals("implicit", implicit.getString("defaultWriteConcernSource"));
                assertEquals("majority", implicit.get("defaultWriteConcern", Document.class).get("w"));

                Document set3 = client.getDatabase("admin").runCommand(new Document("setDefaultRWConcern", 1)
                    .append("defaultWriteConcern", new Document("w", 3).append("wtimeout", 500)));
                assertEquals(3, set3.get("defaultWriteConcern", Document.class).getInteger("w"));
                Document now = client.getDatabase("admin").runCommand(new Document("getDefaultRWConcern", 1));
                assertEquals("global", now.getString("defaultWriteConcernSource"));

                MongoCollection<Document> coll = client.getDatabase("app").getCollection("defaults");
                MongoWriteConcernException timeout = assertThrows(MongoWriteConcernException.class,
                    () -> coll.insertOne(new Document("_id", 1)));
                assertEquals(64, timeout.getWriteConcernError().getCode(), "the default w: 3 waited for the delayed member");
                coll.withWriteConcern(com.mongodb.WriteConcern.W1).insertOne(new Document("_id", 2)); // an explicit w wins

                int secondary = 1 - primary;
                Poll.until(Duration.ofSeconds(10), "the defaults on the secondary", () -> {
                    try {
                        de.bwaldvogel.mongo.bson.Document d = set.command(secondary, "admin",
                            new de.bwaldvogel.mongo.bson.Document("getDefaultRWConcern", 1));
                        return "global".equals(d.get("defaultWriteConcernSource"));
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
                de.bwaldvogel.mongo.bson.Document refused = set.command(secondary, "admin", new de.bwaldvogel.mongo.bson.Document(
                    "setDefaultRWConcern", 1).append("defaultWriteConcern", new de.bwaldvogel.mongo.bson.Document("w", 1)));
                assertEquals(10107, ((Number) refused.get("code")).intValue(), refused.toString());
                MongoCommandException bad = assertThrows(MongoCommandException.class, () -> client.getDatabase("admin")
                    .runCommand(new Document("setDefaultRWConcern", 1).append("defaultWriteConcern", new Document("w", 0))));
                assertEquals(2, bad.getErrorCode());

                // After a step-down the new primary has the same default.
                set.command(primary, "admin", new de.bwaldvogel.mongo.bson.Document("replSetStepDown", 30)
                    .append("secondaryCatchUpPeriodSecs", 10));
                assertEquals(secondary, set.awaitPrimary(Duration.ofSeconds(20), primary));
                MongoWriteConcernException again = assertThrows(MongoWriteConcernException.class,
                    () -> coll.insertOne(new Document("_id", 3)));
                assertEquals(64, again.getWriteConcernError().getCode(), "the default replicated to the new primary");
            }
        }
    }
}
