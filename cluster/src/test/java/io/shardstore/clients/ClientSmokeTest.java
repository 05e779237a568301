package io.shardstore.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.shardstore.node.NodeOptions;
import io.shardstore.node.ShardNode;

/**
 * The real clients users run: pymongo 3.11 (Debian's, with the system python3) and mongosh 2.x, each
 * running a smoke script against a started node. Locally a missing client skips its test with a
 * message; in CI (CI=true) it fails, because .ci/run installs both.
 */
class ClientSmokeTest {
    private static ShardNode node;

    @BeforeAll
    static void startNode() throws Exception {
        node = ShardNode.start(NodeOptions.inMemory(0));
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @Test
    void pymongo() throws Exception {
        requireTool("/usr/bin/python3", "-c", "import pymongo");
        String out = run(List.of("/usr/bin/python3", script("pymongo_smoke.py"), "mongodb://127.0.0.1:" + node.port()));
        assertTrue(out.contains("pymongo smoke: ok"), out);
    }

    @Test
    void mongosh() throws Exception {
        requireTool("mongosh", "--version");
        String out = run(List.of("mongosh", "--quiet", "--norc", "mongodb://127.0.0.1:" + node.port() + "/test",
            script("mongosh_smoke.js")));
        assertTrue(out.contains("mongosh smoke: ok"), out);
    }

    @Test
    void mongoshShardingThroughTheRouter() throws Exception {
        requireTool("mongosh", "--version");
        io.shardstore.cluster.LocalCluster cluster = io.shardstore.testkit.Topology.start(2);
        try {
            String out = run(List.of("mongosh", "--quiet", "--norc", cluster.uri() + "/test", script("mongosh_sharding.js")));
            assertTrue(out.contains("mongosh sharding smoke: ok"), out);
            if (new File("/usr/bin/python3").canExecute()) {
                String py = run(List.of("/usr/bin/python3", script("pymongo_smoke.py"), cluster.uri()));
                assertTrue(py.contains("pymongo smoke: ok"), py);
            }
        } finally {
            io.shardstore.testkit.Topology.checkAndClose(cluster);
        }
    }

    private static String script(String name) throws IOException {
        Path tmp = Files.createTempFile("smoke-", "-" + name);
        try (var in = ClientSmokeTest.class.getResourceAsStream("/smoke/" + name)) {
            Files.write(tmp, in.readAllBytes());
        }
        return tmp.toString();
    }

    static void requireTool(String... probe) throws InterruptedException {
        boolean present;
        try {
            Process p = new ProcessBuilder(probe).redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
            present = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        }
        String message = probe[0] + " (with " + String.join(" ", probe) + ") is not installed; .ci/run installs it";
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(present, message);
        }
        Assumptions.assumeTrue(present, message);
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes());
        if (!finished) {
            p.destroyForcibly();
        }
        assertTrue(finished, "timed out: " + command + "\n" + out);
        assertEquals(0, p.exitValue(), "exit code of " + command + "\n" + out);
        return out;
    }
}
