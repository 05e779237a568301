package io.shardstore.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

/**
 * {@code --plain} (issue 11, item 2): the node behaves as a mongod started without --shardsvr. A request carrying a
 * shardVersion, and the shard-server commands, get NoShardingEnabled (193) as mongod answers them; everything else
 * works as on any node. Without the option the same requests are served (the node is a shard server).
 */
class PlainModeTest {

    private static Document versioned() {
        return new Document("find", "items").append("filter", new Document())
            .append("shardVersion", new Document("e", new ObjectId()).append("t", new org.bson.BsonTimestamp(1, 1))
                .append("v", new org.bson.BsonTimestamp(1, 0)));
    }

    @Test
    void aPlainNodeRefusesShardVersionsAndShardServerCommands() throws Exception {
        ShardNode node = ShardNode.start(NodeOptions.inMemory(0).withPlain(true));
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + node.port() + "/?directConnection=true")) {
            MongoDatabase db = client.getDatabase("plain");
            db.getCollection("items").insertOne(new Document("_id", 1));
            assertEquals(1, db.getCollection("items").countDocuments());
            MongoCommandException versioned = assertThrows(MongoCommandException.class, () -> db.runCommand(versioned()));
            assertEquals(193, versioned.getErrorCode());
            assertEquals("NoShardingEnabled", versioned.getErrorCodeName());
            MongoCommandException setVersion = assertThrows(MongoCommandException.class, () -> client.getDatabase("admin")
                .runCommand(new Document("_shardsvrSetShardVersion", "plain.items").append("version", null)));
            assertEquals(193, setVersion.getErrorCode());
        } finally {
            node.close();
        }
    }

    @Test
    void aShardNodeServesTheSameRequests() throws Exception {
        ShardNode node = ShardNode.start(NodeOptions.inMemory(0));
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + node.port() + "/?directConnection=true")) {
            MongoDatabase db = client.getDatabase("plain");
            db.getCollection("items").insertOne(new Document("_id", 1));
            Document reply = db.runCommand(versioned());
            assertEquals(1, ((Document) reply.get("cursor")).getList("firstBatch", Document.class).size());
        } finally {
            node.close();
        }
    }
}
