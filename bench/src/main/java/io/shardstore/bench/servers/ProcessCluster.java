package io.shardstore.bench.servers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.bench.run.CpuSampler;

/**
 * Every server its own JVM, as {@code bin/cluster} starts them (same main classes, same JVM options), on free
 * loopback ports: config server, N shards (memory only: the bench measures the router, not the disk), the
 * router, and the relay in front of shard 0. CPU and memory per process come from /proc.
 */
public final class ProcessCluster implements BenchCluster {
    /** The balancer must not move chunks while the bench measures placement-dependent figures. */
    private static final String NO_BALANCING = Long.toString(24L * 3600 * 1000);
    static final List<String> SERVER_JVM = List.of("-Xmx512m");

    private final ChildProcess config;
    /** Each shard's primary (the shard itself when shards are single nodes). */
    private final List<ChildProcess> shards;
    /** Per shard, every member (replica-set layout); a shard's URI names them all, as a driver is given a set. */
    private final List<List<ChildProcess>> members;
    private final List<String> setNames;
    private final ChildProcess router;
    private final Relay relay;
    private final int poolSize;

    private ProcessCluster(ChildProcess config, List<ChildProcess> shards, List<List<ChildProcess>> members, List<String> setNames,
                           ChildProcess router, Relay relay, int poolSize) {
        this.config = config;
        this.shards = shards;
        this.members = members;
        this.setNames = setNames;
        this.router = router;
        this.relay = relay;
        this.poolSize = poolSize;
    }

    public static ProcessCluster start(int shardCount, Path logDir, int poolSize, List<String> routerJvmOptions)
        throws IOException, InterruptedException {
        return start(shardCount, 1, logDir, poolSize, routerJvmOptions);
    }

    /**
     * {@code membersPerShard} 1: single-node shards; more: each shard a replica set of that many members (what
     * {@code bin/cluster} starts: 3), initiated and added as {@code rsN/host,host,host}. The relay fronts shard 0's
     * primary, the member the "direct" lane's driver also finds.
     */
    public static ProcessCluster start(int shardCount, int membersPerShard, Path logDir, int poolSize, List<String> routerJvmOptions)
        throws IOException, InterruptedException {
        return start(shardCount, membersPerShard, logDir, poolSize, routerJvmOptions, List.of());
    }

    /** As above, the router given {@code routerArgs} after the bench's own arguments (--router-args). */
    public static ProcessCluster start(int shardCount, int membersPerShard, Path logDir, int poolSize, List<String> routerJvmOptions,
                                       List<String> routerArgs) throws IOException, InterruptedException {
        List<ChildProcess> started = new ArrayList<>();
        try {
            int configPort = ChildProcess.freePort();
            ChildProcess config = ChildProcess.java("config", configPort, logDir, SERVER_JVM, "io.shardstore.config.ConfigServerMain",
                "--port", Integer.toString(configPort), "--logpath", logDir.resolve("config.log").toString(),
                "--balancerIntervalMillis", NO_BALANCING);
            started.add(config);
            List<List<ChildProcess>> members = new ArrayList<>();
            List<String> setNames = new ArrayList<>();
            for (int i = 0; i < shardCount; i++) {
                List<ChildProcess> set = new ArrayList<>();
                String setName = membersPerShard > 1 ? "rs" + i : null;
                for (int m = 0; m < membersPerShard; m++) {
                    int port = ChildProcess.freePort();
                    String name = m == 0 ? "shard" + i : "shard" + i + "m" + m;
                    List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port),
                        "--logpath", logDir.resolve(name + ".log").toString()));
                    if (setName != null) {
                        args.addAll(List.of("--replSet", setName));
                    }
                    ChildProcess member = ChildProcess.java(name, port, logDir, SERVER_JVM, "io.shardstore.node.ShardNodeMain",
                        args.toArray(String[]::new));
                    started.add(member);
                    set.add(member);
                }
                members.add(set);
                setNames.add(setName);
            }
            List<ChildProcess> primaries = new ArrayList<>();
            for (int i = 0; i < shardCount; i++) {
                List<ChildProcess> set = members.get(i);
                if (setNames.get(i) == null) {
                    primaries.add(set.get(0));
                    continue;
                }
                List<String> hosts = new ArrayList<>();
                List<de.bwaldvogel.mongo.bson.Document> config0 = new ArrayList<>();
                for (int m = 0; m < set.size(); m++) {
                    hosts.add("127.0.0.1:" + set.get(m).port());
                    config0.add(new de.bwaldvogel.mongo.bson.Document("_id", m).append("host", hosts.get(m)));
                }
                int primary = io.shardstore.cluster.ReplicaSetBootstrap.initiate(hosts,
                    new de.bwaldvogel.mongo.bson.Document("_id", setNames.get(i)).append("members", config0), java.time.Duration.ofSeconds(60));
                primaries.add(set.get(primary));
            }
            int routerPort = ChildProcess.freePort();
            // The router runs with its own options (as bin/router and bin/cluster start it) unless the run names others.
            List<String> routerJvm = new ArrayList<>(routerJvmOptions.isEmpty() ? io.shardstore.router.RouterMain.JVM_OPTIONS : routerJvmOptions);
            List<String> args = new ArrayList<>(List.of("--port", Integer.toString(routerPort), "--configdb", "127.0.0.1:" + configPort,
                "--logpath", logDir.resolve("router.log").toString(), "--poolSize", Integer.toString(poolSize),
                // Test commands lift configureQueryAnalyzer's 50 samples/s (the sampling scenario measures 1,000/s).
                "--setParameter", "enableTestCommands=1"));
            args.addAll(routerArgs);
            ChildProcess router = ChildProcess.java("router", routerPort, logDir, routerJvm, "io.shardstore.router.RouterMain",
                args.toArray(String[]::new));
            started.add(router);
            try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + routerPort)) {
                for (int i = 0; i < shardCount; i++) {
                    client.getDatabase("admin").runCommand(new Document("addShard", seedList(setNames.get(i), members.get(i)))
                        .append("name", "shard" + i));
                }
            }
            Relay relay = startRelay(primaries.get(0).port(), logDir);
            return new ProcessCluster(config, primaries, members, setNames, router, relay, poolSize);
        } catch (IOException | InterruptedException | RuntimeException e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
            throw e;
        }
    }

    private static String seedList(String setName, List<ChildProcess> set) {
        StringBuilder hosts = new StringBuilder();
        for (ChildProcess m : set) {
            hosts.append(hosts.length() == 0 ? "" : ",").append("127.0.0.1:").append(m.port());
        }
        return setName == null ? hosts.toString() : setName + "/" + hosts;
    }

    private static Relay startRelay(int shardPort, Path logDir) throws IOException, InterruptedException {
        int port = ChildProcess.freePort();
        Path haproxy = HaproxyRelay.find();
        if (haproxy != null) {
            return HaproxyRelay.start(haproxy, port, shardPort, logDir);
        }
        ChildProcess p = ChildProcess.java("relay", port, logDir, List.of("-Xmx256m"), RelayMain.class.getName(),
            "--port", Integer.toString(port), "--target", "127.0.0.1:" + shardPort);
        return new ProcessRelay("netty", p);
    }

    @Override
    public String routerUri() {
        return "mongodb://127.0.0.1:" + router.port();
    }

    @Override
    public String shardUri(int i) {
        if (setNames.get(i) == null) {
            return "mongodb://127.0.0.1:" + shards.get(i).port() + "/?directConnection=true";
        }
        // As an application connects to a set: the driver finds the primary (drivers' defaults otherwise).
        return "mongodb://" + seedList(null, members.get(i)) + "/?replicaSet=" + setNames.get(i);
    }

    @Override
    public String relayUri() {
        return "mongodb://127.0.0.1:" + relay.port() + "/?directConnection=true";
    }

    @Override
    public String configUri() {
        return "mongodb://127.0.0.1:" + config.port() + "/?directConnection=true";
    }

    @Override
    public int shardCount() {
        return shards.size();
    }

    @Override
    public int shardPort(int i) {
        return shards.get(i).port();
    }

    @Override
    public Relay relay() {
        return relay;
    }

    @Override
    public CpuSampler cpu() {
        return new CpuSampler() {
            @Override
            public Map<String, Long> cpuNanos() {
                return processCpu();
            }

            @Override
            public Map<String, Long> counters() {
                return ProcessCluster.this.counters();
            }
        };
    }

    private Map<String, Long> processCpu() {
        {
            Map<String, Long> out = new LinkedHashMap<>();
            out.put("router", ProcFs.cpuNanos(router.pid()));
            out.put("relay", ProcFs.cpuNanos(relay.pid()));
            for (List<ChildProcess> set : members) {
                for (ChildProcess s : set) {
                    out.put(s.name(), ProcFs.cpuNanos(s.pid()));
                }
            }
            out.put("config", ProcFs.cpuNanos(config.pid()));
            out.put("client", ProcFs.cpuNanos(ProcessHandle.current().pid()));
            return out;
        }
    }

    /** Kernel CPU and context switches of the two paths' own processes: where a proxy's extra hops show. */
    private Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (var e : Map.of("router", router.pid(), "relay", relay.pid()).entrySet()) {
            out.put(e.getKey() + ".sysNanos", ProcFs.systemCpuNanos(e.getValue()));
            out.put(e.getKey() + ".ctxsw", ProcFs.contextSwitches(e.getValue()));
        }
        // Where the router's CPU goes by thread: the event loops do the requests; the compilers and every other thread
        // (replica-set monitors, pollers, the JVM's own) cost the same per second whatever the load, so per operation
        // they weigh most on slow workloads (w: "majority" updates).
        // A thread's comm is its name cut to 15 characters: "epollEventLoopG", "iOUringEventLoo" (the transports' loops).
        out.put("router.loopNanos", ProcFs.threadCpuNanos(router.pid(), n -> n.contains("EventLoo")));
        out.put("router.jitNanos", ProcFs.threadCpuNanos(router.pid(), n -> n.contains("CompilerThre")));
        return out;
    }

    @Override
    public boolean separateProcesses() {
        return true;
    }

    @Override
    public long pid(String process) {
        ChildProcess p = child(process);
        return p != null ? p.pid() : process.equals("relay") ? relay.pid() : -1;
    }

    private ChildProcess child(String process) {
        if (process.equals("router")) {
            return router;
        }
        if (process.equals("config")) {
            return config;
        }
        for (List<ChildProcess> set : members) {
            for (ChildProcess s : set) {
                if (s.name().equals(process)) {
                    return s;
                }
            }
        }
        return null;
    }

    @Override
    public void signal(String process, String signal) throws Exception {
        ChildProcess p = child(process);
        if (p == null) {
            throw new IllegalArgumentException("no process " + process);
        }
        p.signal(signal);
    }

    @Override
    public int routerPoolSize() {
        return poolSize;
    }

    @Override
    public String describe() {
        String kind = setNames.get(0) == null ? " single-node shard(s)"
            : " replica-set shard(s) of " + members.get(0).size() + " members (drivers' defaults: retryable writes, the set's"
                + " default write concern w: majority)";
        return "separate processes (-Xmx512m each, memory-only storage): config server, " + shards.size()
            + kind + ", router (pool " + poolSize + " per shard), " + relay.kind() + " relay to shard0";
    }

    @Override
    public void close() {
        // Ask every process to stop at once (each shuts its event loops down gracefully, which takes seconds), then wait.
        List<ChildProcess> all = new ArrayList<>(List.of(router, config));
        members.forEach(all::addAll);
        all.forEach(ChildProcess::stop);
        relay.close();
        all.forEach(ChildProcess::close);
    }
}
