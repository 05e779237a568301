package io.shardstore.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mongodb.MongoDBContainer;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.cluster.LocalCluster;

/**
 * Real {@code mongo:7.0} replica sets in containers (Testcontainers), as plain shards behind an in-JVM config server and
 * router (issue 11, item 4).
 * <p>
 * Each set is one mongod started with {@code --replSet} on a port P that is also its published port on the host's
 * 127.0.0.1, and initiated with the member {@code localhost:P}: a name that means that member both inside its container
 * and on the host, where the router runs. MongoDBContainer's own {@code withReplicaSet()} names the member by the
 * container's hostname, which a router outside the Docker network cannot reach.
 * <p>
 * Where no Docker engine runs (as on the machine this is developed on), {@link #requireDocker} skips the test with a
 * message; with {@code -Dshardstore.requireDocker=true} it fails instead.
 */
public final class MongoContainers implements AutoCloseable {
    public static final String IMAGE = System.getProperty("shardstore.mongoImage", "mongo:7.0");
    private static final String SKIP_MESSAGE = "no Docker engine: the tests with real mongod containers (" + IMAGE
        + ") are skipped; run them where Docker runs, with -Dshardstore.requireDocker=true to make a missing engine fail";
    private static Boolean dockerAvailable;
    private static boolean skipReported;
    private final List<MongoDBContainer> containers = new ArrayList<>();
    private final List<String> hostStrings = new ArrayList<>();

    private MongoContainers() {
    }

    /** Skips the calling test (or fails it, with -Dshardstore.requireDocker=true) when no Docker engine answers. */
    public static synchronized void requireDocker() {
        if (dockerAvailable == null) {
            // Asked once per JVM: the conformance suite's classes each ask, and each answer costs a probe.
            try {
                dockerAvailable = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                dockerAvailable = false;
            }
        }
        boolean available = dockerAvailable;
        if (!available && Boolean.getBoolean("shardstore.requireDocker")) {
            throw new IllegalStateException("-Dshardstore.requireDocker=true, but no Docker engine answers");
        }
        if (!available && !skipReported) {
            skipReported = true;
            System.out.println("SKIPPED: " + SKIP_MESSAGE); // a class-level skip is not listed by surefire's summary
        }
        Assumptions.assumeTrue(available, SKIP_MESSAGE);
    }

    /** Whether a Docker engine answers (asked once per JVM; never fails). */
    public static boolean dockerAvailable() {
        try {
            requireDocker();
            return true;
        } catch (org.opentest4j.TestAbortedException skipped) {
            return false;
        }
    }

    /** {@code count} one-member replica sets named rsc0, rsc1..., each initiated and with a primary. */
    public static MongoContainers start(int count) throws IOException {
        requireDocker();
        MongoContainers started = new MongoContainers();
        try {
            for (int i = 0; i < count; i++) {
                started.startOne("rsc" + i, freePort());
            }
        } catch (RuntimeException | IOException e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** The host strings to give addShard: {@code rsc0/localhost:P}. */
    public List<String> hostStrings() {
        return List.copyOf(hostStrings);
    }

    /** A direct connection to set {@code i}'s member (to see what landed where). */
    public String directUri(int i) {
        String host = hostStrings.get(i).substring(hostStrings.get(i).indexOf('/') + 1);
        return "mongodb://" + host + "/?directConnection=true";
    }

    /** A cluster of a config server and a router in this JVM, with these sets added as (plain) shards shard0, shard1... */
    public LocalCluster clusterOfThem() throws Exception {
        LocalCluster cluster = LocalCluster.builder().shards(0).configMembers(1).start();
        try (MongoClient config = MongoClients.create(cluster.configUri())) {
            for (int i = 0; i < hostStrings.size(); i++) {
                config.getDatabase("admin").runCommand(new Document("addShard", hostStrings.get(i)).append("name", "shard" + i));
            }
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void startOne(String setName, int port) {
        MongoDBContainer container = new MongoDBContainer(IMAGE)
            .withCommand("--replSet", setName, "--port", Integer.toString(port), "--bind_ip_all")
            .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", port), new ExposedPort(port))));
        container.setExposedPorts(List.of(port));
        container.withStartupTimeout(Duration.ofMinutes(3));
        containers.add(container);
        container.start();
        String member = "localhost:" + port;
        try (MongoClient direct = MongoClients.create("mongodb://" + member + "/?directConnection=true")) {
            direct.getDatabase("admin").runCommand(new Document("replSetInitiate", new Document("_id", setName)
                .append("members", List.of(new Document("_id", 0).append("host", member)))));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Boolean.TRUE.equals(direct.getDatabase("admin").runCommand(new Document("hello", 1)).get("isWritablePrimary"))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(setName + " has no primary 60 s after replSetInitiate");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        }
        hostStrings.add(setName + "/" + member);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        containers.forEach(MongoDBContainer::stop);
    }
}
