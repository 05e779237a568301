package io.shardstore.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoSecurityException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.router.Router;
import io.shardstore.router.RouterOptions;

/**
 * A router started with --auth in front of a sharded cluster, through the Java driver with its defaults: users are
 * the config server's, created through the router (the first by the localhost exception); SCRAM-SHA-256 and
 * SCRAM-SHA-1 logins; 18 for a wrong password; 13 for anonymous clients and for what a role does not allow, on
 * sharded and unsharded collections alike.
 */
class RouterAuthTest {
    private static LocalCluster cluster;
    private static Router router;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().shards(2).start();
        router = Router.start(RouterOptions.of("127.0.0.1:" + cluster.configPort(), 0).withSecurity(SecurityOptions.AUTH));
        try (MongoClient anonymous = client(null)) {
            anonymous.getDatabase("admin").runCommand(new Document("createUser", "boss").append("pwd", "bosspw")
                .append("roles", List.of("root")));
        }
        try (MongoClient root = client(boss())) {
            root.getDatabase("admin").runCommand(new Document("enableSharding", "app"));
            root.getDatabase("admin").runCommand(new Document("shardCollection", "app.people").append("key", new Document("_id", "hashed")));
            root.getDatabase("app").getCollection("people").insertOne(new Document("_id", 1).append("name", "ada"));
            root.getDatabase("app").runCommand(new Document("createUser", "reader").append("pwd", "r").append("roles", List.of("read")));
            root.getDatabase("app").runCommand(new Document("createUser", "writer").append("pwd", "w").append("roles", List.of("readWrite")));
            root.getDatabase("admin").runCommand(new Document("createUser", "monitor").append("pwd", "m").append("roles", List.of("clusterMonitor")));
        }
    }

    @AfterAll
    static void stop() {
        router.close();
        cluster.close();
    }

    private static MongoCredential boss() {
        return MongoCredential.createScramSha256Credential("boss", "admin", "bosspw".toCharArray());
    }

    private static MongoClient client(MongoCredential credential) {
        MongoClientSettings.Builder b = MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + router.port() + "/?serverSelectionTimeoutMS=5000"));
        if (credential != null) {
            b.credential(credential);
        }
        return MongoClients.create(b.build());
    }

    private static int code(Runnable r) {
        return assertThrows(MongoCommandException.class, r::run).getErrorCode();
    }

    @Test
    void anonymousClientsAreRefusedAllButTheOpenCommands() {
        try (MongoClient anonymous = client(null)) {
            anonymous.getDatabase("admin").runCommand(new Document("ping", 1));
            anonymous.getDatabase("admin").runCommand(new Document("buildInfo", 1));
            assertEquals(13, code(() -> anonymous.getDatabase("app").getCollection("people").find().first()));
            assertEquals(13, code(() -> anonymous.getDatabase("app").getCollection("people").insertOne(new Document("_id", 9))));
            for (String admin : List.of("dropDatabase", "removeShard", "balancerStop", "killAllSessions", "listShards", "shutdown")) {
                assertEquals(13, code(() -> anonymous.getDatabase(admin.equals("dropDatabase") ? "app" : "admin")
                    .runCommand(new Document(admin, admin.equals("removeShard") ? "shard0" : 1))), admin);
            }
            assertEquals(59, code(() -> anonymous.getDatabase("admin").runCommand(new Document("noSuchCommand", 1))),
                "an unknown command is unknown before it is unauthorized, as on mongod");
            assertEquals(13, code(() -> anonymous.getDatabase("admin").runCommand(new Document("createUser", "late").append("pwd", "x")
                .append("roles", List.of()))), "the localhost exception ended with the first user");
        }
    }

    @Test
    void bothMechanismsLogInThroughTheRouterAndAWrongPasswordFails() {
        for (MongoCredential c : List.of(MongoCredential.createScramSha256Credential("reader", "app", "r".toCharArray()),
            MongoCredential.createScramSha1Credential("reader", "app", "r".toCharArray()))) {
            try (MongoClient client = client(c)) {
                assertEquals("ada", client.getDatabase("app").getCollection("people").find(new Document("_id", 1)).first().getString("name"));
            }
        }
        try (MongoClient client = client(MongoCredential.createScramSha256Credential("reader", "app", "nope".toCharArray()))) {
            MongoSecurityException e = assertThrows(MongoSecurityException.class, () -> client.getDatabase("app").getCollection("people").find().first());
            assertTrue(e.getCause() instanceof MongoCommandException c && c.getErrorCode() == 18, String.valueOf(e.getCause()));
        }
    }

    @Test
    void eachRoleIsAllowedWhatItGrants() {
        try (MongoClient reader = client(MongoCredential.createScramSha256Credential("reader", "app", "r".toCharArray()));
             MongoClient writer = client(MongoCredential.createScramSha256Credential("writer", "app", "w".toCharArray()));
             MongoClient monitor = client(MongoCredential.createScramSha256Credential("monitor", "admin", "m".toCharArray()))) {
            assertEquals(13, code(() -> reader.getDatabase("app").getCollection("people").insertOne(new Document("_id", 2))));
            assertEquals(1, reader.getDatabase("app").getCollection("people").countDocuments());
            writer.getDatabase("app").getCollection("people").insertOne(new Document("_id", 3));
            writer.getDatabase("app").getCollection("people").updateOne(new Document("_id", 3), new Document("$set", new Document("x", 1)));
            assertEquals(13, code(() -> writer.getDatabase("other").getCollection("c").insertOne(new Document())), "readWrite is on app only");
            assertEquals(13, code(() -> writer.getDatabase("admin").runCommand(new Document("shardCollection", "app.more")
                .append("key", new Document("k", 1)))), "sharding needs clusterManager");
            monitor.getDatabase("admin").runCommand(new Document("serverStatus", 1));
            monitor.getDatabase("admin").runCommand(new Document("listShards", 1));
            assertEquals(13, code(() -> monitor.getDatabase("app").getCollection("people").insertOne(new Document("_id", 4))));
            assertEquals(13, code(() -> monitor.getDatabase("admin").runCommand(new Document("balancerStop", 1))));
        }
    }

    @Test
    void usersLiveOnTheConfigServerAndAreManagedThroughTheRouter() {
        try (MongoClient root = client(boss())) {
            Document info = root.getDatabase("app").runCommand(new Document("usersInfo", 1));
            assertEquals(2, info.getList("users", Document.class).size());
            root.getDatabase("app").runCommand(new Document("createUser", "temp").append("pwd", "t").append("roles", List.of("read")));
            root.getDatabase("app").runCommand(new Document("dropUser", "temp"));
            assertEquals(11, code(() -> root.getDatabase("app").runCommand(new Document("dropUser", "temp"))));
        }
        try (MongoClient config = MongoClients.create(cluster.configUri())) {
            Document stored = config.getDatabase("admin").getCollection("system.users").find(new Document("_id", "app.reader")).first();
            assertTrue(stored.get("credentials", Document.class).containsKey("SCRAM-SHA-256"));
        }
    }

    @Test
    void helloNamesTheUsersMechanismsAndTakesTheFirstScramStep() {
        try (MongoClient root = client(boss())) {
            root.getDatabase("app").runCommand(new Document("createUser", "modern").append("pwd", "m256")
                .append("roles", List.of("read")).append("mechanisms", List.of("SCRAM-SHA-256")));
        }
        // A credential without a mechanism: the driver picks one from hello's saslSupportedMechs (SCRAM-SHA-1, which this
        // user lacks, if hello said nothing).
        try (MongoClient modern = client(MongoCredential.createCredential("modern", "app", "m256".toCharArray()))) {
            assertEquals(1, modern.getDatabase("app").getCollection("people").countDocuments(new Document("_id", 1)));
        }
        try (MongoClient anonymous = client(null)) {
            byte[] clientFirst = "n,,n=modern,r=abcdefghijklmnop".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Document hello = anonymous.getDatabase("admin").runCommand(new Document("hello", 1)
                .append("saslSupportedMechs", "app.modern")
                .append("speculativeAuthenticate", new Document("saslStart", 1).append("mechanism", "SCRAM-SHA-256")
                    .append("payload", new org.bson.types.Binary(clientFirst)).append("db", "app")));
            assertEquals(List.of("SCRAM-SHA-256"), hello.getList("saslSupportedMechs", String.class));
            Document first = hello.get("speculativeAuthenticate", Document.class);
            String serverFirst = new String(first.get("payload", org.bson.types.Binary.class).getData(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(serverFirst.startsWith("r=abcdefghijklmnop") && serverFirst.contains(",i=15000"), serverFirst);
            assertEquals(1, first.getInteger("conversationId"));
        }
    }

    @Test
    void listDatabasesShowsOnlyTheDatabasesARoleIsGrantedIn() {
        try (MongoClient reader = client(MongoCredential.createScramSha256Credential("reader", "app", "r".toCharArray()));
             MongoClient root = client(boss())) {
            root.getDatabase("elsewhere").getCollection("c").insertOne(new Document());
            List<String> seen = reader.listDatabaseNames().into(new java.util.ArrayList<>());
            assertEquals(List.of("app"), seen);
            assertTrue(root.listDatabaseNames().into(new java.util.ArrayList<>()).contains("elsewhere"));
        }
    }

    @Test
    void shutdownNeedsHostManagerAndStopsTheRouter() throws Exception {
        Router second = Router.start(RouterOptions.of("127.0.0.1:" + cluster.configPort(), 0).withSecurity(SecurityOptions.AUTH));
        MongoClientSettings.Builder b = MongoClientSettings.builder().applyConnectionString(
            new ConnectionString("mongodb://127.0.0.1:" + second.port() + "/?serverSelectionTimeoutMS=2000"));
        try (MongoClient reader = MongoClients.create(MongoClientSettings.builder().applyConnectionString(
                new ConnectionString("mongodb://127.0.0.1:" + second.port() + "/?serverSelectionTimeoutMS=2000"))
                .credential(MongoCredential.createScramSha256Credential("reader", "app", "r".toCharArray())).build());
             MongoClient root = MongoClients.create(b.credential(boss()).build())) {
            assertEquals(13, code(() -> reader.getDatabase("admin").runCommand(new Document("shutdown", 1))));
            assertEquals(13, code(() -> root.getDatabase("app").runCommand(new Document("shutdown", 1))), "only on admin");
            try {
                root.getDatabase("admin").runCommand(new Document("shutdown", 1));
            } catch (com.mongodb.MongoException closedUnderIt) {
                // the connection may close before the reply: mongod's shutdown does not answer either
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            boolean refused = false;
            while (!refused && System.nanoTime() < deadline) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", second.port())) {
                    java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20));
                } catch (java.io.IOException e) {
                    refused = true;
                }
            }
            assertTrue(refused, "the router stopped listening");
        } finally {
            second.close();
        }
    }
}
