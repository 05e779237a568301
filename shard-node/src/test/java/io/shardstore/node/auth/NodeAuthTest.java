package io.shardstore.node.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

import io.shardstore.node.NodeOptions;
import io.shardstore.node.ShardNode;
import io.shardstore.security.SecurityOptions;

/**
 * A node started with --auth, through the Java driver: the localhost exception for the first user, SCRAM-SHA-256 and
 * SCRAM-SHA-1 logins, AuthenticationFailed (18) for a wrong password, Unauthorized (13) for an anonymous client and
 * for what a role does not allow, user management and what is stored (salted keys, never the password).
 */
class NodeAuthTest {
    private static ShardNode node;

    @BeforeAll
    static void start() throws Exception {
        node = ShardNode.start(NodeOptions.inMemory(0).withSecurity(SecurityOptions.AUTH));
        try (MongoClient anonymous = client(null)) {
            anonymous.getDatabase("admin").runCommand(new Document("createUser", "root").append("pwd", "rootpw")
                .append("roles", List.of(new Document("role", "root").append("db", "admin"))));
        }
        try (MongoClient root = client(MongoCredential.createScramSha256Credential("root", "admin", "rootpw".toCharArray()))) {
            root.getDatabase("test").runCommand(new Document("createUser", "reader").append("pwd", "r").append("roles", List.of("read")));
            root.getDatabase("test").runCommand(new Document("createUser", "writer").append("pwd", "w").append("roles", List.of("readWrite")));
            root.getDatabase("test").getCollection("c").insertOne(new Document("_id", 1));
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static MongoClient client(MongoCredential credential) {
        MongoClientSettings.Builder b = MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + node.port() + "/?serverSelectionTimeoutMS=5000"));
        if (credential != null) {
            b.credential(credential);
        }
        return MongoClients.create(b.build());
    }

    private static int code(Runnable r) {
        MongoCommandException e = assertThrows(MongoCommandException.class, r::run);
        return e.getErrorCode();
    }

    @Test
    void anonymousClientsGetOnlyTheOpenCommands() {
        try (MongoClient anonymous = client(null)) {
            assertEquals(1.0, anonymous.getDatabase("admin").runCommand(new Document("ping", 1)).get("ok", Number.class).doubleValue());
            anonymous.getDatabase("admin").runCommand(new Document("buildInfo", 1));
            assertEquals(13, code(() -> anonymous.getDatabase("test").getCollection("c").find().first()));
            assertEquals(13, code(() -> anonymous.getDatabase("test").getCollection("c").insertOne(new Document())));
            assertEquals(13, code(() -> anonymous.getDatabase("admin").runCommand(new Document("serverStatus", 1))));
            assertEquals(13, code(() -> anonymous.getDatabase("admin").runCommand(new Document("replSetStepDown", 60))));
            assertEquals(13, code(() -> anonymous.getDatabase("admin").runCommand(new Document("shutdown", 1))));
            assertEquals(13, code(() -> anonymous.getDatabase("test").runCommand(new Document("dropDatabase", 1))));
            // The localhost exception ended with the first user.
            assertEquals(13, code(() -> anonymous.getDatabase("admin").runCommand(new Document("createUser", "x").append("pwd", "y")
                .append("roles", List.of()))));
        }
    }

    @Test
    void bothScramMechanismsLogIn() {
        for (MongoCredential c : List.of(MongoCredential.createScramSha256Credential("reader", "test", "r".toCharArray()),
            MongoCredential.createScramSha1Credential("reader", "test", "r".toCharArray()),
            MongoCredential.createCredential("reader", "test", "r".toCharArray()))) {
            try (MongoClient client = client(c)) {
                assertEquals(1, client.getDatabase("test").getCollection("c").find().first().getInteger("_id"));
                Document status = client.getDatabase("admin").runCommand(new Document("connectionStatus", 1));
                Document user = status.get("authInfo", Document.class).getList("authenticatedUsers", Document.class).get(0);
                assertEquals("reader", user.getString("user"));
            }
        }
    }

    @Test
    void aWrongPasswordIsAuthenticationFailed() {
        try (MongoClient client = client(MongoCredential.createScramSha256Credential("reader", "test", "wrong".toCharArray()))) {
            MongoSecurityException e = assertThrows(MongoSecurityException.class, () -> client.getDatabase("test").getCollection("c").find().first());
            assertTrue(e.getCause() instanceof MongoCommandException c && c.getErrorCode() == 18, String.valueOf(e.getCause()));
        }
        try (MongoClient client = client(MongoCredential.createScramSha256Credential("nobody", "test", "x".toCharArray()))) {
            MongoSecurityException e = assertThrows(MongoSecurityException.class, () -> client.getDatabase("test").getCollection("c").find().first());
            assertTrue(e.getCause() instanceof MongoCommandException c && c.getErrorCode() == 18, "an unknown user reads as a wrong password");
        }
    }

    @Test
    void rolesAllowWhatTheyGrant() {
        try (MongoClient reader = client(MongoCredential.createScramSha256Credential("reader", "test", "r".toCharArray()));
             MongoClient writer = client(MongoCredential.createScramSha256Credential("writer", "test", "w".toCharArray()))) {
            assertEquals(13, code(() -> reader.getDatabase("test").getCollection("c").insertOne(new Document())));
            assertEquals(13, code(() -> reader.getDatabase("other").getCollection("c").find().first()), "read is on its database only");
            assertEquals(13, code(() -> reader.getDatabase("test").runCommand(new Document("createUser", "z").append("pwd", "z").append("roles", List.of()))));
            writer.getDatabase("test").getCollection("w").insertOne(new Document("_id", "ok"));
            assertEquals(13, code(() -> writer.getDatabase("test").runCommand(new Document("dropDatabase", 1))), "readWrite cannot drop the database");
            assertEquals(13, code(() -> writer.getDatabase("admin").runCommand(new Document("replSetStepDown", 1))));
            // usersInfo of oneself is allowed without userAdmin.
            Document me = reader.getDatabase("test").runCommand(new Document("usersInfo", "reader"));
            assertEquals(List.of("SCRAM-SHA-1", "SCRAM-SHA-256"), me.getList("users", Document.class).get(0).getList("mechanisms", String.class));
        }
    }

    @Test
    void usersAreStoredAsSaltedKeysAndManaged() {
        try (MongoClient root = client(MongoCredential.createScramSha256Credential("root", "admin", "rootpw".toCharArray()))) {
            Document stored = root.getDatabase("admin").getCollection("system.users").find(new Document("_id", "test.reader")).first();
            Document sha256 = stored.get("credentials", Document.class).get("SCRAM-SHA-256", Document.class);
            assertEquals(15000, sha256.getInteger("iterationCount"));
            assertTrue(sha256.containsKey("storedKey") && sha256.containsKey("serverKey") && sha256.containsKey("salt"));
            assertFalse(stored.toJson().contains("\"r\""), "no password is stored");

            assertEquals(51003, code(() -> root.getDatabase("test").runCommand(new Document("createUser", "reader").append("pwd", "x")
                .append("roles", List.of()))));
            assertEquals(31, code(() -> root.getDatabase("test").runCommand(new Document("createUser", "bad").append("pwd", "x")
                .append("roles", List.of("readAnyDatabase")))), "an admin-only role granted in another database does not exist");
            root.getDatabase("test").runCommand(new Document("createUser", "temp").append("pwd", "t").append("roles", List.of("read")));
            root.getDatabase("test").runCommand(new Document("grantRolesToUser", "temp").append("roles", List.of("readWrite")));
            try (MongoClient temp = client(MongoCredential.createScramSha256Credential("temp", "test", "t".toCharArray()))) {
                temp.getDatabase("test").getCollection("t").insertOne(new Document());
            }
            root.getDatabase("test").runCommand(new Document("updateUser", "temp").append("pwd", "t2"));
            try (MongoClient old = client(MongoCredential.createScramSha256Credential("temp", "test", "t".toCharArray()))) {
                assertThrows(MongoSecurityException.class, () -> old.getDatabase("test").getCollection("t").find().first());
            }
            root.getDatabase("test").runCommand(new Document("dropUser", "temp"));
            assertEquals(11, code(() -> root.getDatabase("test").runCommand(new Document("dropUser", "temp"))));
        }
    }

    @Test
    void shutdownNeedsHostManagerAndStopsTheNode() throws Exception {
        ShardNode other = ShardNode.start(NodeOptions.inMemory(0).withSecurity(SecurityOptions.AUTH));
        try {
            String uri = "mongodb://127.0.0.1:" + other.port() + "/?serverSelectionTimeoutMS=2000";
            try (MongoClient anonymous = MongoClients.create(uri)) {
                anonymous.getDatabase("admin").runCommand(new Document("createUser", "ops").append("pwd", "o")
                    .append("roles", List.of("hostManager", "userAdminAnyDatabase")));
            }
            try (MongoClient ops = MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri))
                    .credential(MongoCredential.createScramSha256Credential("ops", "admin", "o".toCharArray())).build())) {
                ops.getDatabase("admin").runCommand(new Document("createUser", "app").append("pwd", "a")
                    .append("roles", List.of(new Document("role", "readWrite").append("db", "app"))));
            }
            try (MongoClient app = MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri))
                    .credential(MongoCredential.createScramSha256Credential("app", "admin", "a".toCharArray())).build());
                 MongoClient ops = MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri))
                    .credential(MongoCredential.createScramSha256Credential("ops", "admin", "o".toCharArray())).build())) {
                assertEquals(13, code(() -> app.getDatabase("admin").runCommand(new Document("shutdown", 1))));
                try {
                    ops.getDatabase("admin").runCommand(new Document("shutdown", 1));
                } catch (com.mongodb.MongoException closedUnderIt) {
                    // the connection may close before the reply, as with mongod
                }
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            boolean refused = false;
            while (!refused && System.nanoTime() < deadline) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", other.port())) {
                    java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20));
                } catch (java.io.IOException e) {
                    refused = true;
                }
            }
            assertTrue(refused, "the node stopped listening");
        } finally {
            other.close();
        }
    }

    @Test
    void helloNamesTheUsersMechanismsAndTakesTheFirstScramStep() {
        try (MongoClient root = client(MongoCredential.createScramSha256Credential("root", "admin", "rootpw".toCharArray()))) {
            root.getDatabase("test").runCommand(new Document("createUser", "modern").append("pwd", "m256")
                .append("roles", List.of("read")).append("mechanisms", List.of("SCRAM-SHA-256")));
        }
        // Without saslSupportedMechs in hello the driver would pick SCRAM-SHA-1, which this user lacks.
        try (MongoClient modern = client(MongoCredential.createCredential("modern", "test", "m256".toCharArray()))) {
            assertEquals(1, modern.getDatabase("test").getCollection("c").countDocuments(new Document("_id", 1)));
        }
        try (MongoClient anonymous = client(null)) {
            byte[] clientFirst = "n,,n=modern,r=abcdefghijklmnop".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Document hello = anonymous.getDatabase("admin").runCommand(new Document("hello", 1)
                .append("saslSupportedMechs", "test.modern")
                .append("speculativeAuthenticate", new Document("saslStart", 1).append("mechanism", "SCRAM-SHA-256")
                    .append("payload", new org.bson.types.Binary(clientFirst)).append("db", "test")));
            assertEquals(List.of("SCRAM-SHA-256"), hello.getList("saslSupportedMechs", String.class));
            String serverFirst = new String(hello.get("speculativeAuthenticate", Document.class).get("payload", org.bson.types.Binary.class)
                .getData(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(serverFirst.startsWith("r=abcdefghijklmnop") && serverFirst.contains(",i=15000"), serverFirst);
        }
    }
}
