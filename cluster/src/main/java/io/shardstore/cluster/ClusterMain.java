package io.shardstore.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/cluster}: a whole sharded cluster on this machine, each node its own OS process (so any one can
 * be killed like a real mongod): a config server, N shards and a router on 27017. Ctrl-C stops them all.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, version = "cluster 0.1.0",
    description = "Starts a local sharded cluster: config server, shards and a router (mongosh connects with no arguments).")
public final class ClusterMain implements Callable<Integer> {

    @Option(names = "--shards", description = "number of shards (default: ${DEFAULT-VALUE})")
    int shards = 2;

    @Option(names = "--port", description = "router port (default: ${DEFAULT-VALUE})")
    int port = 27017;

    @Option(names = "--configPort", description = "config server port (default: ${DEFAULT-VALUE})")
    int configPort = 27019;

    @Option(names = "--shardPort", description = "first shard's port; the others take the next free ports (default: ${DEFAULT-VALUE})")
    int shardPort = 27018;

    @Option(names = "--dbpath", description = "data directory for all nodes (default: a new temporary directory)")
    Path dbPath;

    @Option(names = "--balancerIntervalMillis", description = "time between balancer rounds (default: ${DEFAULT-VALUE})")
    long balancerIntervalMillis = 10_000;

    private final List<Process> processes = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (shards < 1) {
            System.err.println("cluster: --shards must be at least 1");
            return 2;
        }
        Path root = dbPath != null ? dbPath : Files.createTempDirectory("shardstore-");
        Files.createDirectories(root);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopAll();
            stopped.countDown();
        }, "cluster-shutdown"));
        try {
            start("config-server", root, configPort, "io.shardstore.config.ConfigServerMain",
                "--dbpath", root.resolve("config").toString(), "--balancerIntervalMillis", Long.toString(balancerIntervalMillis));
            List<Integer> shardPorts = new ArrayList<>();
            int p = shardPort;
            for (int i = 0; i < shards; i++, p++) {
                while (p == configPort || p == port) {
                    p++; // shards take the next free ports: 27018, 27020, 27021, ...
                }
                shardPorts.add(p);
                start("shard" + i, root, p, "io.shardstore.node.ShardNodeMain", "--dbpath", root.resolve("shard" + i).toString());
            }
            start("router", root, port, "io.shardstore.router.RouterMain", "--configdb", "127.0.0.1:" + configPort);
            try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port)) {
                for (int i = 0; i < shards; i++) {
                    client.getDatabase("admin").runCommand(new Document("addShard", "127.0.0.1:" + shardPorts.get(i)).append("name", "shard" + i));
                }
            }
            System.out.println();
            System.out.println("Sharded cluster ready: router on 127.0.0.1:" + port + ", config server on " + configPort
                + ", shards on " + shardPorts + ".");
            System.out.println("Connect with:  mongosh" + (port == 27017 ? "" : " --port " + port));
            System.out.println("Data and logs: " + root + "   (Ctrl-C stops the cluster)");
        } catch (Exception e) {
            System.err.println("cluster: " + e.getMessage());
            stopAll();
            return 1;
        }
        stopped.await();
        return 0;
    }

    private void start(String name, Path root, int port, String mainClass, String... args) throws IOException, InterruptedException {
        if (listening(port)) {
            throw new IOException("port " + port + " is already in use (is another cluster or mongod running?)");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(mainClass.equals(io.shardstore.router.RouterMain.class.getName()) ? io.shardstore.router.RouterMain.JVM_OPTIONS
            : List.of("-Xmx512m"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass, "--port", Integer.toString(port),
            "--logpath", root.resolve(name + ".log").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(root.resolve(name + ".out").toFile()).start();
        processes.add(p);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException(name + " exited: " + Files.readString(root.resolve(name + ".out")).trim());
            }
            if (listening(port)) {
                System.out.println("started " + name + " on port " + port + " (pid " + p.pid() + ")");
                return;
            }
            p.waitFor(100, TimeUnit.MILLISECONDS);
        }
        throw new IOException(name + " did not listen on port " + port + " within 60 s");
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 250);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void stopAll() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        processes.clear();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClusterMain()).execute(args));
    }
}
