package io.shardstore.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.node.replication.PeerClient;
import io.shardstore.testkit.NodeProcess;

/**
 * Internal authentication with a key file, on a cluster where every process runs with it (3-member config set and
 * shard set, router): the members replicate and the router reaches shards and config servers after logging in as
 * __system; a client without the key, or with another, is refused by the members as by the router; a bad key file
 * stops a node at start with mongod's exit code for bad options.
 */
class KeyFileTest {
    private static Path dir;
    private static KeyFile key;
    private static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("keyfile-test");
        key = KeyFile.read(KeyFile.generate(dir.resolve("key")));
        cluster = LocalCluster.builder().shards(1).members(3).configMembers(3).keyFile(key).start();
        try (MongoClient anonymous = MongoClients.create(cluster.uri())) {
            anonymous.getDatabase("admin").runCommand(new Document("createUser", "boss").append("pwd", "b").append("roles", List.of("root")));
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static MongoClient client(String uri, MongoCredential credential) {
        MongoClientSettings.Builder b = MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri));
        if (credential != null) {
            b.credential(credential);
        }
        return MongoClients.create(b.build());
    }

    @Test
    void membersReplicateAndTheRouterReachesShardsWithTheKey() {
        try (MongoClient boss = client(cluster.uri(), MongoCredential.createScramSha256Credential("boss", "admin", "b".toCharArray()))) {
            boss.getDatabase("admin").runCommand(new Document("enableSharding", "app"));
            boss.getDatabase("admin").runCommand(new Document("shardCollection", "app.c").append("key", new Document("_id", "hashed")));
            for (int i = 0; i < 20; i++) {
                // w: majority: acknowledged only once secondaries, logged in with the key, have pulled it.
                boss.getDatabase("app").getCollection("c").withWriteConcern(WriteConcern.MAJORITY).insertOne(new Document("_id", i));
            }
            assertEquals(20, boss.getDatabase("app").getCollection("c").countDocuments());
        }
    }

    @Test
    void aMemberRefusesClientsWithoutTheKey() throws Exception {
        String member = cluster.shardSet(0).hosts().get(0);
        try (MongoClient anonymous = client("mongodb://" + member + "/?directConnection=true", null)) {
            MongoCommandException e = assertThrows(MongoCommandException.class,
                () -> anonymous.getDatabase("local").getCollection("oplog.rs").find().first());
            assertEquals(13, e.getErrorCode());
        }
        Path other = KeyFile.generate(dir.resolve("other"));
        try (PeerClient impostor = new PeerClient(member, 5_000, KeyFile.read(other))) {
            IOException e = assertThrows(IOException.class, () -> impostor.run("admin", new de.bwaldvogel.mongo.bson.Document("replSetGetStatus", 1)));
            assertTrue(e.getMessage().contains("internal authentication"), e.getMessage());
        }
        try (PeerClient keyed = new PeerClient(member, 5_000, key)) {
            de.bwaldvogel.mongo.bson.Document status = keyed.run("admin", new de.bwaldvogel.mongo.bson.Document("replSetGetStatus", 1));
            assertEquals(3, ((List<?>) status.get("members")).size());
        }
    }

    @Test
    void aBadKeyFileStopsTheNodeAtStart() throws Exception {
        Path shortKey = Files.writeString(dir.resolve("short"), "abc");
        Files.setPosixFilePermissions(shortKey, PosixFilePermissions.fromString("rw-------"));
        Path open = Files.writeString(dir.resolve("open"), "abcdefghijklmnop");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        Path badChars = Files.writeString(dir.resolve("bad"), "abc$def#ghi");
        Files.setPosixFilePermissions(badChars, PosixFilePermissions.fromString("rw-------"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyFile.read(shortKey)).getMessage().contains("between 6 and 1024"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyFile.read(open)).getMessage().contains("too open"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyFile.read(badChars)).getMessage().contains("base64"));
        NodeProcess.Result result = NodeProcess.run(Duration.ofSeconds(60), "--port", Integer.toString(NodeProcess.freePort()),
            "--keyFile", open.toString());
        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.output().contains("too open"), result.output());
    }
}
