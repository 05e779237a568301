package io.shardstore.clients;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.router.Router;
import io.shardstore.router.RouterOptions;
import io.shardstore.security.SecurityOptions;

/**
 * mongosh 2.x and pymongo 3.11 log in to a router started with --auth and directly to a node started with --auth,
 * with SCRAM-SHA-256 and SCRAM-SHA-1, and a wrong password is refused with AuthenticationFailed (18). The first user
 * of each is created by the localhost exception.
 */
class AuthClientsTest {
    private static LocalCluster cluster;
    private static Router router;
    private static io.shardstore.node.ShardNode member;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().shards(1).start();
        router = Router.start(RouterOptions.of("127.0.0.1:" + cluster.configPort(), 0).withSecurity(SecurityOptions.AUTH));
        member = io.shardstore.node.ShardNode.start(io.shardstore.node.NodeOptions.inMemory(0).withSecurity(SecurityOptions.AUTH));
        for (int port : new int[] {router.port(), member.port()}) {
            try (MongoClient anonymous = MongoClients.create("mongodb://127.0.0.1:" + port + "/?directConnection=true")) {
                anonymous.getDatabase("admin").runCommand(new Document("createUser", "alice").append("pwd", "s3cret")
                    .append("roles", List.of(new Document("role", "readWrite").append("db", "app"))));
            }
        }
    }

    @AfterAll
    static void stop() {
        member.close();
        router.close();
        cluster.close();
    }

    private static String uri(int port, String password, String mechanism) {
        return "mongodb://alice:" + password + "@127.0.0.1:" + port + "/app?authSource=admin&directConnection=true&authMechanism=" + mechanism;
    }

    @Test
    void mongoshLogsInWithBothMechanisms() throws Exception {
        ClientSmokeTest.requireTool("mongosh", "--version");
        for (int port : new int[] {router.port(), member.port()}) {
            for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-1")) {
                String out = ClientSmokeTest.run(List.of("mongosh", "--quiet", "--norc", uri(port, "s3cret", mechanism), "--eval",
                    "db.c.insertOne({by: '" + mechanism + "'}); const s = db.runCommand({connectionStatus: 1});"
                        + " print('user ' + s.authInfo.authenticatedUsers[0].user + ' count ' + db.c.countDocuments({by: '" + mechanism + "'}));"
                        + " try { db.getSiblingDB('other').c.insertOne({}); print('other: allowed') } catch (e) { print('other: ' + e.code) }"));
                assertTrue(out.contains("user alice count 1") && out.contains("other: 13"), port + " " + out);
            }
        }
    }

    @Test
    void pymongoLogsInWithBothMechanismsAndAWrongPasswordFails() throws Exception {
        ClientSmokeTest.requireTool("/usr/bin/python3", "-c", "import pymongo");
        String script = String.join("\n",
            "import sys, pymongo",
            "from pymongo.errors import OperationFailure",
            "for mech in ('SCRAM-SHA-256', 'SCRAM-SHA-1'):",
            "    c = pymongo.MongoClient(sys.argv[1] + mech, serverSelectionTimeoutMS=5000)",
            "    c.app.p.insert_one({'by': mech})",
            "    print(mech, c.app.p.count_documents({'by': mech}))",
            "try:",
            "    pymongo.MongoClient(sys.argv[2], serverSelectionTimeoutMS=5000).app.p.find_one()",
            "    print('wrong password: allowed')",
            "except OperationFailure as e:",
            "    print('wrong password:', e.code)");
        java.nio.file.Path file = java.nio.file.Files.createTempFile("auth-", ".py");
        java.nio.file.Files.writeString(file, script);
        for (int port : new int[] {router.port(), member.port()}) {
            String base = uri(port, "s3cret", "");
            String out = ClientSmokeTest.run(List.of("/usr/bin/python3", file.toString(), base, uri(port, "wrong", "SCRAM-SHA-256")));
            assertTrue(out.contains("SCRAM-SHA-256 1") && out.contains("SCRAM-SHA-1 1") && out.contains("wrong password: 18"), out);
        }
    }
}
