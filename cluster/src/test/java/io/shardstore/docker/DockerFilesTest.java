package io.shardstore.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What can be checked of docker/ without a Docker engine (none runs here): the compose file parses; every service
 * runs a launcher that exists in bin/; each member's hostname is its service name (how it finds itself in its set's
 * config); the hosts named in --configdb and --shard are services listening on those ports with that --replSet; the
 * router is published on the host's loopback only; the Dockerfile copies what the build makes.
 */
class DockerFilesTest {
    private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

    @Test
    @SuppressWarnings("unchecked")
    void theComposeFileDescribesAClusterOfOurLaunchers() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker/compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Map<String, String> listening = new HashMap<>(); // service:port -> replSet
        for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
            List<String> command = ((List<Object>) e.getValue().get("command")).stream().map(String::valueOf).toList();
            assertTrue(Files.isExecutable(ROOT.resolve(command.get(0))), e.getKey() + " runs " + command.get(0));
            assertEquals("shardstore", e.getValue().get("image"), e.getKey());
            int replSet = command.indexOf("--replSet");
            if (replSet >= 0) {
                assertEquals(e.getKey(), e.getValue().get("hostname"), "a member's hostname is its service name");
                assertTrue(command.contains("--dbpath") && command.contains("0.0.0.0"), e.getKey());
                listening.put(e.getKey() + ":" + command.get(command.indexOf("--port") + 1), command.get(replSet + 1));
            }
        }
        Set<String> named = new HashSet<>();
        for (Map<String, Object> service : services.values()) {
            List<String> command = ((List<Object>) service.get("command")).stream().map(String::valueOf).toList();
            for (int i = 0; i < command.size() - 1; i++) {
                if (command.get(i).equals("--configdb") || command.get(i).equals("--shard")) {
                    String spec = command.get(i + 1);
                    String set = spec.substring(0, spec.indexOf('/'));
                    for (String host : spec.substring(spec.indexOf('/') + 1).split(",")) {
                        assertEquals(set, listening.get(host), host + " is a member of " + set);
                        named.add(host);
                    }
                }
            }
        }
        assertEquals(listening.keySet(), named, "every member is in the cluster");
        assertEquals(List.of("127.0.0.1:27017:27017"), services.get("router").get("ports"));
        Map<String, Object> dependsOn = (Map<String, Object>) services.get("router").get("depends_on");
        assertEquals(Map.of("condition", "service_completed_successfully"), dependsOn.get("init"));
    }

    /**
     * compose-mongo.yml: our config server and router in front of two mongo:7.0 sets. Every mongod runs with its set's
     * --replSet (and no --shardsvr: a plain shard), its hostname is its service name, cluster-init names exactly those
     * members for each set and the config server, and the router waits for cluster-init.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theMongoComposeFilePutsRealMongodSetsBehindOurRouter() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker/compose-mongo.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Map<String, String> listening = new HashMap<>(); // service:port -> replSet
        for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
            List<String> command = ((List<Object>) e.getValue().get("command")).stream().map(String::valueOf).toList();
            if ("mongo:7.0".equals(e.getValue().get("image"))) {
                assertEquals("mongod", command.get(0), e.getKey());
                assertTrue(!command.contains("--shardsvr") && command.contains("--bind_ip_all"), e.getKey() + ": a plain mongod");
            } else {
                assertEquals("shardstore", e.getValue().get("image"), e.getKey());
                assertTrue(Files.isExecutable(ROOT.resolve(command.get(0))), e.getKey() + " runs " + command.get(0));
            }
            int replSet = command.indexOf("--replSet");
            if (replSet >= 0) {
                assertEquals(e.getKey(), e.getValue().get("hostname"), "a member's hostname is its service name");
                listening.put(e.getKey() + ":" + command.get(command.indexOf("--port") + 1), command.get(replSet + 1));
            }
        }
        List<String> init = ((List<Object>) services.get("init").get("command")).stream().map(String::valueOf).toList();
        Set<String> named = new HashSet<>();
        List<String> shardSets = new java.util.ArrayList<>();
        for (int i = 0; i < init.size() - 1; i++) {
            if (init.get(i).equals("--configdb") || init.get(i).equals("--shard")) {
                String spec = init.get(i + 1);
                String set = spec.substring(0, spec.indexOf('/'));
                if (init.get(i).equals("--shard")) {
                    shardSets.add(set);
                }
                for (String host : spec.substring(spec.indexOf('/') + 1).split(",")) {
                    assertEquals(set, listening.get(host), host + " is a member of " + set);
                    named.add(host);
                }
            }
        }
        assertEquals(listening.keySet(), named, "every member is in the cluster");
        assertEquals(List.of("rsA", "rsB"), shardSets);
        for (String set : shardSets) {
            assertEquals(3, listening.values().stream().filter(set::equals).count(), set + " has 3 mongod members");
        }
        assertEquals(List.of("127.0.0.1:27017:27017"), services.get("router").get("ports"));
        Map<String, Object> dependsOn = (Map<String, Object>) services.get("router").get("depends_on");
        assertEquals(Map.of("condition", "service_completed_successfully"), dependsOn.get("init"));
    }

    @Test
    void theDockerfileCopiesWhatTheBuildMakes() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
        String version = Files.readString(ROOT.resolve("pom.xml")).replaceAll("(?s).*?<artifactId>shardstore-parent</artifactId>\\s*<version>([^<]+)</version>.*", "$1");
        assertTrue(dockerfile.contains("cluster/target/cluster-" + version + ".jar"), "the cluster jar of version " + version);
        assertTrue(dockerfile.contains("mvn -B -q -DskipTests package"), "the README's build command");
        String runJava = Files.readString(ROOT.resolve("bin/run-java"));
        assertTrue(runJava.contains("cluster/target/lib") && dockerfile.contains("/src/cluster/target/lib ./cluster/target/lib"),
            "the launchers find their classpath where the image puts it");
    }
}
