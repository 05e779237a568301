package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.cluster.LocalReplicaSet;

/** replSetReconfig (what rs.add does): a fourth member joins, gets the config by heartbeats and the data by the oplog. */
class ReconfigTest {

    @Test
    void addAMember() throws Exception {
        try (LocalReplicaSet set = LocalReplicaSet.start("rsr", 4)) {
            de.bwaldvogel.mongo.bson.Document config = set.config(300, 3000);
            List<?> all = (List<?>) config.get("members");
            config.put("members", new ArrayList<>(all.subList(0, 3)));
            assertEquals(1.0, ((Number) set.initiate(config).get("ok")).doubleValue());
            assertTrue(set.awaitPrimary(Duration.ofSeconds(20)) >= 0);
            try (MongoClient client = MongoClients.create(set.uri() + "&serverSelectionTimeoutMS=20000")) {
                client.getDatabase("app").getCollection("before").insertOne(new Document("_id", 1));
                Document current = client.getDatabase("admin").runCommand(new Document("replSetGetConfig", 1)).get("config", Document.class);
                MongoCommandException stale = assertThrows(MongoCommandException.class,
                    () -> client.getDatabase("admin").runCommand(new Document("replSetReconfig", current)));
                assertEquals(103, stale.getErrorCode());

                List<Document> members = new ArrayList<>(current.getList("members", Document.class));
                members.add(new Document("_id", 3).append("host", set.host(3)).append("priority", 0));
                current.put("members", members);
                current.put("version", current.getInteger("version") + 1);
                client.getDatabase("admin").runCommand(new Document("replSetReconfig", current));

                try (MongoClient fourth = MongoClients.create("mongodb://" + set.host(3)
                    + "/?directConnection=true&readPreference=secondaryPreferred")) {
                    Poll.until(Duration.ofSeconds(15), "the new member a secondary of config version 2", () -> {
                        Document hello = fourth.getDatabase("admin").runCommand(new Document("hello", 1));
                        return hello.getBoolean("secondary", false) && hello.getInteger("setVersion", 0) == 2
                            && Boolean.TRUE.equals(hello.getBoolean("passive"));
                    });
                    Poll.until(Duration.ofSeconds(15), "the earlier write on the new member",
                        () -> fourth.getDatabase("app").getCollection("before").countDocuments() == 1);
                }
                Document hello = client.getDatabase("admin").runCommand(new Document("hello", 1));
                assertEquals(List.of(set.host(3)), hello.getList("passives", String.class));
            }
        }
    }
}
