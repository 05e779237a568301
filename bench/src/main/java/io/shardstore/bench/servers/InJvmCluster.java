package io.shardstore.bench.servers;

import java.lang.management.ManagementFactory;
import java.util.Map;

import io.shardstore.bench.run.CpuSampler;
import io.shardstore.cluster.LocalCluster;

/**
 * The whole cluster and the relay inside the bench's JVM ({@link LocalCluster}): starts in a second, which
 * is what the quick run and its test need. Per-process CPU and memory cannot be told apart here; the only
 * CPU figure is the JVM's total, from which the report subtracts the client threads' own time.
 */
public final class InJvmCluster implements BenchCluster {
    private final LocalCluster cluster;
    private final NettyRelay relay;

    private InJvmCluster(LocalCluster cluster, NettyRelay relay) {
        this.cluster = cluster;
        this.relay = relay;
    }

    public static InJvmCluster start(int shards) throws Exception {
        // Test commands lift configureQueryAnalyzer's 50 samples/s (the sampling scenario measures 1,000/s).
        LocalCluster cluster = LocalCluster.builder().shards(shards).balancerIntervalMillis(24L * 3600 * 1000).testCommands(true).start();
        try {
            return new InJvmCluster(cluster, NettyRelay.start("127.0.0.1", 0, "127.0.0.1", cluster.shards().get(0).port()));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    @Override
    public String routerUri() {
        return cluster.uri();
    }

    @Override
    public String shardUri(int i) {
        return cluster.shardUri(i);
    }

    @Override
    public String relayUri() {
        return "mongodb://127.0.0.1:" + relay.port() + "/?directConnection=true";
    }

    @Override
    public String configUri() {
        return "mongodb://127.0.0.1:" + cluster.configPort() + "/?directConnection=true";
    }

    @Override
    public int shardCount() {
        return cluster.shards().size();
    }

    @Override
    public int shardPort(int i) {
        return cluster.shards().get(i).port();
    }

    @Override
    public Relay relay() {
        return relay;
    }

    @Override
    public CpuSampler cpu() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return () -> Map.of("jvm", os.getProcessCpuTime());
    }

    @Override
    public boolean separateProcesses() {
        return false;
    }

    @Override
    public long pid(String process) {
        return -1;
    }

    @Override
    public void signal(String process, String signal) {
        throw new UnsupportedOperationException("in-JVM cluster: no separate processes");
    }

    @Override
    public int routerPoolSize() {
        return 32; // RouterOptions.of
    }

    @Override
    public String describe() {
        return "in-JVM (LocalCluster: config server, " + shardCount() + " shard(s), router; Netty relay to shard0), one process";
    }

    @Override
    public void close() {
        relay.close();
        cluster.close();
    }
}
