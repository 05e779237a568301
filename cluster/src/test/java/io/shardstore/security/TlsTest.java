package io.shardstore.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.node.NodeOptions;
import io.shardstore.node.ShardNode;
import io.shardstore.protocol.TlsOptions;
import io.shardstore.testkit.TestCertificates;

/**
 * TLS with certificates made at test time: a cluster of replica sets whose every process runs requireTLS (the router's
 * connections to the shard and the config servers, and the members' replication, over TLS too, checked against the CA) serves the Java driver, pymongo 3.11 and
 * mongosh connecting with tls=true and the CA file, and refuses a plain connection; allowTLS takes both.
 */
class TlsTest {
    private static TestCertificates certs;
    private static TlsOptions require;
    private static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create();
        require = new TlsOptions(TlsOptions.Mode.requireTLS, certs.serverFile, certs.caFile, false);
        // Replica-set shards and config servers, as bin/cluster starts them: members replicate over TLS too.
        cluster = LocalCluster.builder().shards(1).members(3).configMembers(3).tls(require).start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static MongoClient tlsClient(int port) {
        return MongoClients.create(MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + port + "/?serverSelectionTimeoutMS=5000"))
            .applyToSslSettings(b -> b.enabled(true).context(require.jdkClientContext())).build());
    }

    @Test
    void theJavaDriverConnectsWithTlsAndTheRouterReachesTheShardOverTls() {
        try (MongoClient client = tlsClient(cluster.routerPort())) {
            client.getDatabase("admin").runCommand(new Document("enableSharding", "app"));
            client.getDatabase("admin").runCommand(new Document("shardCollection", "app.c").append("key", new Document("_id", "hashed")));
            client.getDatabase("app").getCollection("c").insertOne(new Document("_id", 1));
            assertEquals(1, client.getDatabase("app").getCollection("c").countDocuments());
        }
    }

    @Test
    void requireTlsRefusesAPlainConnection() throws Exception {
        try (Socket plain = new Socket("127.0.0.1", cluster.routerPort())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write(ping());
            InputStream in = plain.getInputStream();
            int read = in.read();
            assertEquals(-1, read, "the router closes a connection that does not start with a TLS handshake");
        }
    }

    @Test
    void allowTlsTakesBothPlainAndTls() throws Exception {
        ShardNode node = ShardNode.start(NodeOptions.inMemory(0).withSecurity(SecurityOptions.OFF
            .withTls(new TlsOptions(TlsOptions.Mode.allowTLS, certs.serverFile, certs.caFile, false))));
        try {
            try (Socket plain = new Socket("127.0.0.1", node.port())) {
                assertTrue(pingAnswered(plain), "plain");
            }
            try (SSLSocket secure = (SSLSocket) require.jdkClientContext().getSocketFactory().createSocket("127.0.0.1", node.port())) {
                assertTrue(pingAnswered(secure), "TLS");
            }
        } finally {
            node.close();
        }
    }

    @Test
    void pymongoAndMongoshConnectWithTlsAndTheCaFile() throws Exception {
        String uri = "mongodb://127.0.0.1:" + cluster.routerPort() + "/app?tls=true&tlsCAFile=" + certs.caFile;
        if (new File("/usr/bin/python3").canExecute()) {
            io.shardstore.clients.ClientSmokeTestAccess.requireTool("/usr/bin/python3", "-c", "import pymongo");
            String out = io.shardstore.clients.ClientSmokeTestAccess.run(List.of("/usr/bin/python3", "-c",
                "import sys, pymongo; c = pymongo.MongoClient(sys.argv[1], serverSelectionTimeoutMS=5000);"
                    + " c.app.py.insert_one({'x': 1}); print('pymongo tls', c.app.py.count_documents({}))", uri));
            assertTrue(out.contains("pymongo tls 1"), out);
        }
        io.shardstore.clients.ClientSmokeTestAccess.requireTool("mongosh", "--version");
        String out = io.shardstore.clients.ClientSmokeTestAccess.run(List.of("mongosh", "--quiet", "--norc", uri, "--eval",
            "db.sh.insertOne({y: 2}); print('mongosh tls ' + db.sh.countDocuments({}))"));
        assertTrue(out.contains("mongosh tls 1"), out);
    }

    private static byte[] ping() {
        org.bson.RawBsonDocument body = new org.bson.RawBsonDocument(new org.bson.BsonDocument("ping", new org.bson.BsonInt32(1))
            .append("$db", new org.bson.BsonString("admin")), new org.bson.codecs.BsonDocumentCodec());
        ByteBuffer b = body.getByteBuffer().asNIO();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        ByteBuffer frame = ByteBuffer.allocate(21 + bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        frame.putInt(21 + bytes.length).putInt(1).putInt(0).putInt(2013).putInt(0).put((byte) 0).put(bytes);
        return frame.array();
    }

    private static boolean pingAnswered(Socket s) throws Exception {
        s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(10));
        s.getOutputStream().write(ping());
        byte[] header = s.getInputStream().readNBytes(16);
        return header.length == 16 && ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(12) == 2013;
    }
}
