package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.shardstore.cluster.LocalReplicaSet;

/**
 * mongosh 2.x: rs.initiate with an arbiter, a hidden and a delayed member, rs.status, rs.conf, rs.isMaster, rs.stepDown,
 * rs.secondaryOk, rs.hello, rs.reconfig, rs.add, rs.addArb, rs.remove, rs.freeze.
 */
class MongoshReplSetTest {

    @Test
    void rsHelpers() throws Exception {
        boolean present;
        try {
            Process probe = new ProcessBuilder("mongosh", "--version").redirectErrorStream(true)
                .redirectOutput(new File("/dev/null")).start();
            present = probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        }
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(present, "mongosh is not installed; .ci/run installs it");
        }
        Assumptions.assumeTrue(present, "mongosh is not installed");
        try (LocalReplicaSet set = LocalReplicaSet.start("rsm", 6)) {
            List<String> ports = new java.util.ArrayList<>();
            for (int i = 0; i < set.size(); i++) {
                ports.add(String.valueOf(set.member(i).port()));
            }
            String header = "const setName = 'rsm'; const ports = [" + String.join(", ", ports) + "];\n";
            String body;
            try (var in = MongoshReplSetTest.class.getResourceAsStream("/smoke/mongosh_replset.js")) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Path script = Files.createTempFile("replset-", ".js");
            Files.writeString(script, header + body);
            Process p = new ProcessBuilder(List.of("mongosh", "--quiet", "--norc",
                "mongodb://" + set.host(0) + "/test?directConnection=true", script.toString())).redirectErrorStream(true).start();
            boolean finished = p.waitFor(180, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!finished) {
                p.destroyForcibly();
            }
            assertTrue(finished && p.exitValue() == 0 && out.contains("mongosh replset: ok"), out);
        }
    }
}
