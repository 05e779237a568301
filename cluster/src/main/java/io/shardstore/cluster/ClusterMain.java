package io.shardstore.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.cluster.ClusterLayout.Kind;
import io.shardstore.cluster.ClusterLayout.Member;
import io.shardstore.cluster.ClusterLayout.SetLayout;
import io.shardstore.sharding.ConnectionStrings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/cluster}: a whole sharded cluster on this machine, each node its own OS process (so any one can be killed
 * like a real mongod): a config replica set, N shard replica sets and a router on 27017 (with {@code --members 1},
 * single nodes instead of sets). Ctrl-C stops them all. The ports are laid out by {@link ClusterLayout}.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, version = "cluster 0.1.0",
    description = "Starts a local sharded cluster: a config replica set, shard replica sets and a router (mongosh connects with no arguments).")
public final class ClusterMain implements Callable<Integer> {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    @Option(names = "--shards", description = "number of shards (default: ${DEFAULT-VALUE})")
    int shards = 2;

    @Option(names = "--members", description = "data-bearing members of each shard's and the config server's replica set; "
        + "1 starts single nodes without --replSet (default: ${DEFAULT-VALUE})")
    int members = 3;

    @Option(names = "--arbiter", description = "add an arbiter to each shard's set")
    boolean arbiter;

    @Option(names = "--hidden", description = "add a hidden member (priority 0) to each shard's set")
    boolean hidden;

    @Option(names = "--delayed", paramLabel = "SECS", description = "add a hidden member delayed by SECS seconds to each shard's set")
    long delayedSecs;

    @Option(names = "--port", description = "router port (default: ${DEFAULT-VALUE})")
    int port = 27017;

    @Option(names = "--configPort", description = "config server's first member; member j on this port + 100*j (default: ${DEFAULT-VALUE})")
    int configPort = 27019;

    @Option(names = "--shardPort", description = "first shard's first member; the next shards take the next free ports, "
        + "member j on the first member's port + 100*j (default: ${DEFAULT-VALUE})")
    int shardPort = 27018;

    @Option(names = "--dbpath", description = "data directory for all nodes (default: a new temporary directory)")
    Path dbPath;

    @Option(names = "--balancerIntervalMillis", description = "time between balancer rounds (default: ${DEFAULT-VALUE})")
    long balancerIntervalMillis = 10_000;

    @Option(names = "--heartbeatIntervalMillis", description = "replica set setting (default: the members' own, 2000)")
    Long heartbeatIntervalMillis;

    @Option(names = "--electionTimeoutMillis", description = "replica set setting (default: the members' own, 10000)")
    Long electionTimeoutMillis;

    /** Small and quick to start (C1 only, serial GC, a heap that grows and shrinks): ten of them share a laptop. */
    @Option(names = "--nodeJavaOptions", description = "JVM options of every node (default: ${DEFAULT-VALUE})")
    String nodeJavaOptions = "-Xmx512m -Xms16m -Xss512k -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
        + " -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m";

    @Option(names = "--setParameter", description = "name=value, passed to every shard member and the router; "
        + "known: enableTestCommands=1 (configureFailPoint, for drivers' test suites), ttlMonitorSleepSecs=N (shard members)")
    List<String> parameters = new ArrayList<>();

    @Option(names = "--plainShards", description = "start the shard members with --plain: they behave as mongod without "
        + "--shardsvr (no shard versions), and the router treats them as it treats real mongod shards (plain shards)")
    boolean plainShards;

    @Option(names = "--auth", description = "every process requires clients to authenticate (SCRAM) and checks their "
        + "roles; a key file is generated in the data directory and given to every process (--keyFile), with which "
        + "they log in to each other; users live on the config server; create the first one from this machine through "
        + "the router (the localhost exception)")
    boolean auth;

    /** The cluster's key with --auth (generated at start), else null. */
    private io.shardstore.security.KeyFile key;
    private Path keyPath;

    /** Started processes by name, in start order (stopped in reverse); guarded by this. */
    private final Map<String, Process> processes = new LinkedHashMap<>();
    /** Set by Ctrl-C (or a failed start): nothing more is launched. */
    private boolean stopping;

    @Override
    public Integer call() throws Exception {
        ClusterLayout layout;
        try {
            layout = ClusterLayout.of(shards, members, arbiter, hidden, delayedSecs, port, configPort, shardPort);
        } catch (IllegalArgumentException e) {
            System.err.println("cluster: " + e.getMessage());
            return 2;
        }
        Path root = dbPath != null ? dbPath : Files.createTempDirectory("shardstore-");
        Files.createDirectories(root);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopAll();
            stopped.countDown();
        }, "cluster-shutdown"));
        long startNanos = System.nanoTime();
        try {
            Map<String, String> roles = start(layout, root);
            printTable(layout, roles, root, Duration.ofNanos(System.nanoTime() - startNanos));
        } catch (Exception e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            System.err.println("cluster: " + cause.getMessage());
            stopAll();
            return 1;
        }
        stopped.await();
        return 0;
    }

    /** Starts every node, brings each set to a primary, then the router, then adds the shards. Returns each process's role. */
    private Map<String, String> start(ClusterLayout layout, Path root) throws Exception {
        if (auth) {
            keyPath = root.resolve("keyfile");
            if (!java.nio.file.Files.exists(keyPath)) {
                io.shardstore.security.KeyFile.generate(keyPath);
            }
            key = io.shardstore.security.KeyFile.read(keyPath);
        }
        for (SetLayout set : layout.sets()) {
            boolean configServer = set == layout.config();
            for (Member m : set.members()) {
                List<String> args = new ArrayList<>(List.of("--dbpath", root.resolve(m.process()).toString()));
                if (set.replicated()) {
                    args.addAll(List.of("--replSet", set.name()));
                }
                if (auth) {
                    args.addAll(List.of("--keyFile", keyPath.toString()));
                }
                if (configServer) {
                    args.addAll(List.of("--balancerIntervalMillis", Long.toString(balancerIntervalMillis)));
                } else {
                    parameters.forEach(p -> args.addAll(List.of("--setParameter", p)));
                    if (plainShards) {
                        args.add("--plain");
                    }
                }
                launch(m.process(), root, m.port(), configServer ? "io.shardstore.config.ConfigServerMain" : "io.shardstore.node.ShardNodeMain", args);
            }
        }
        // The router boots while the sets elect: it reads the catalog from the config set's primary once asked.
        List<String> routerArgs = new ArrayList<>(List.of("--configdb", layout.config().hosts()));
        // The router knows enableTestCommands only (ttlMonitorSleepSecs is the nodes').
        parameters.stream().filter(p -> p.startsWith("enableTestCommands=")).forEach(p -> routerArgs.addAll(List.of("--setParameter", p)));
        if (auth) {
            routerArgs.addAll(List.of("--keyFile", keyPath.toString()));
        }
        launch("router", root, layout.routerPort(), "io.shardstore.router.RouterMain", routerArgs);
        for (SetLayout set : layout.sets()) {
            for (Member m : set.members()) {
                awaitListening(m.process(), root, m.port());
            }
        }
        Map<String, String> roles = new LinkedHashMap<>();
        Map<SetLayout, CompletableFuture<Integer>> primaries = new LinkedHashMap<>();
        for (SetLayout set : layout.sets()) {
            primaries.put(set, !set.replicated() ? CompletableFuture.completedFuture(0) : CompletableFuture.supplyAsync(() -> {
                try {
                    return ReplicaSetBootstrap.initiate(set.memberHosts(), set.replSetConfig(heartbeatIntervalMillis, electionTimeoutMillis),
                        START_TIMEOUT, key);
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            }));
        }
        awaitListening("router", root, layout.routerPort());
        for (Map.Entry<SetLayout, CompletableFuture<Integer>> e : primaries.entrySet()) {
            int primary = e.getValue().join();
            List<Member> setMembers = e.getKey().members();
            for (int j = 0; j < setMembers.size(); j++) {
                roles.put(setMembers.get(j).process(), role(e.getKey(), j, primary));
            }
        }
        roles.put("router", "router");
        com.mongodb.MongoClientSettings.Builder configSettings = com.mongodb.MongoClientSettings.builder()
            .applyConnectionString(new com.mongodb.ConnectionString(ConnectionStrings.of(layout.config().hosts())));
        if (key != null) {
            configSettings.credential(systemCredential());
        }
        try (MongoClient config = MongoClients.create(configSettings.build())) {
            for (int i = 0; i < layout.shards().size(); i++) {
                config.getDatabase("admin").runCommand(new Document("addShard", layout.shards().get(i).hosts()).append("name", "shard" + i));
            }
        }
        // "Ready" is printed for scripts that start writing at once: make sure a write through the router works.
        String routerUri = "mongodb://127.0.0.1:" + layout.routerPort() + "/?serverSelectionTimeoutMS=5000";
        // With --auth the probe logs in as __system with the cluster's key: no user exists yet.
        ReadinessProbe.awaitWritable(routerUri, layout.shards().size(), START_TIMEOUT, key == null ? null : systemCredential());
        return roles;
    }

    private com.mongodb.MongoCredential systemCredential() {
        return com.mongodb.MongoCredential.createScramSha256Credential(io.shardstore.security.KeyFile.SYSTEM_USER,
            io.shardstore.security.KeyFile.SYSTEM_DB, key.password().toCharArray());
    }

    private static String role(SetLayout set, int member, int primary) {
        Kind kind = set.members().get(member).kind();
        return switch (kind) {
            case ARBITER -> "arbiter";
            case HIDDEN -> "hidden secondary";
            case DELAYED -> "hidden secondary, " + set.delaySecs() + " s behind";
            case DATA -> !set.replicated() ? "standalone" : member == primary ? "primary" : "secondary";
        };
    }

    private synchronized void printTable(ClusterLayout layout, Map<String, String> roles, Path root, Duration took) {
        System.out.println();
        System.out.printf("Sharded cluster ready in %.1f s:%n", took.toMillis() / 1000.0);
        String format = "  %-12s %-9s %-6s %-8s %s%n";
        System.out.printf(format, "process", "set", "port", "pid", "role");
        System.out.printf(format, "router", "-", layout.routerPort(), processes.get("router").pid(), "router (mongos)");
        for (SetLayout set : layout.sets()) {
            String setName = set.replicated() ? set.name() : "-";
            for (Member m : set.members()) {
                String role = roles.get(m.process()) + (set == layout.config() ? " (config server)" : "");
                System.out.printf(format, m.process(), setName, m.port(), processes.get(m.process()).pid(), role);
            }
        }
        System.out.println("Config servers: " + layout.config().hosts());
        for (int i = 0; i < layout.shards().size(); i++) {
            System.out.println("shard" + i + ": " + layout.shards().get(i).hosts());
        }
        String port = layout.routerPort() == 27017 ? "" : " --port " + layout.routerPort();
        System.out.println("Connect with:  mongosh" + port);
        if (auth) {
            System.out.println("Auth is on in every process; they log in to each other with the key in " + keyPath + ".");
            System.out.println("Create the first user from this machine (the localhost exception), then log in:");
            System.out.println("  mongosh" + port + " --eval 'db.getSiblingDB(\"admin\").createUser({user: \"admin\", pwd: passwordPrompt(), roles: [\"root\"]})'");
            System.out.println("  mongosh" + port + " -u admin -p --authenticationDatabase admin");
        }
        System.out.println("Data and logs: " + root + "   (Ctrl-C stops the cluster)");
    }

    private void launch(String name, Path root, int port, String mainClass, List<String> args) throws IOException {
        if (listening(port)) {
            throw new IOException("port " + port + " (" + name + ") is already in use (is another cluster or mongod running?)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The router has its own measured JVM options (decision 0007); nodes take --nodeJavaOptions.
        cmd.addAll(mainClass.equals(io.shardstore.router.RouterMain.class.getName()) ? io.shardstore.router.RouterMain.JVM_OPTIONS
            : Arrays.asList(nodeJavaOptions.trim().split("\\s+")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass, "--port", Integer.toString(port),
            "--logpath", root.resolve(name + ".log").toString()));
        cmd.addAll(args);
        synchronized (this) {
            if (stopping) {
                throw new IOException("stopping");
            }
            processes.put(name, new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(root.resolve(name + ".out").toFile()).start());
        }
    }

    private void awaitListening(String name, Path root, int port) throws IOException, InterruptedException {
        Process p;
        synchronized (this) {
            p = processes.get(name);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
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
        throw new IOException(name + " did not listen on port " + port + " within " + START_TIMEOUT.toSeconds() + " s");
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
        List<Process> started;
        synchronized (this) {
            stopping = true;
            started = new ArrayList<>(processes.values());
            processes.clear();
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).destroy();
        }
        for (Process p : started) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }

    public static void main(String[] args) {
        io.shardstore.router.CachedLevelLoggerFactory.install(); // before the router's event loops start
        System.exit(new CommandLine(new ClusterMain()).execute(args));
    }
}
