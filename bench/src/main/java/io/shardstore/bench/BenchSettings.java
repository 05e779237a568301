package io.shardstore.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.shardstore.bench.ycsb.Workload;
import io.shardstore.bench.ycsb.Workloads;

/**
 * Everything a run does and how long. Two presets: {@link #full} (the committed results: separate processes,
 * about 12 minutes) and {@link #quick} (in-JVM, under a minute, for the smoke test); command-line options
 * override single fields. A plain settings bag: fields are set once, before the run starts.
 */
public final class BenchSettings {
    public static final String DATABASE = "ycsb";

    public boolean quick;
    /** All servers inside the bench JVM (quick) or each its own process (full: per-process CPU and memory). */
    public boolean inJvm;
    public Path out;
    /** YCSB recordcount: records loaded into each benchmark collection. */
    public long recordCount = 10_000;
    /** YCSB fieldcount and fieldlength: record size is about fieldCount x fieldLength bytes. */
    public int fieldCount = 10;
    public int fieldLength = 100;
    /** YCSB operationcount, per measured slice; 0: slices end by time only. */
    public long operationCount;
    /** One measured slice of the baseline comparisons (one target, one round). */
    public Duration slice = Duration.ofSeconds(3);
    /**
     * The first workload's unrecorded run per path. The router's hot path takes C2 seconds of compiling on this
     * 2-core machine; with 3 s its compiler threads still ran in the first measured round and were billed to the
     * router's CPU per operation (decision 0008). On io_uring, 15 s still left the compilers 3.9 us per read and 6.5 us
     * per update inside the slices; 45 s left 0.2 and 0.5 (decision 0015). Each goal workload gets it; the others a
     * third of it, at most 1 s.
     */
    public Duration warmup = Duration.ofSeconds(45);
    public int rounds = 5;
    /** Client threads of the side-by-side comparisons (the goals are stated at 32). */
    public int clients = 32;
    /** The goals' workloads: compared over {@link #rounds} rounds. */
    public List<Workload> baselineWorkloads = List.of(Workloads.TARGETED_READ, Workloads.TARGETED_UPDATE);
    /** The other sharding mixes, compared like the YCSB workloads. */
    public List<Workload> mixWorkloads = List.of(Workloads.RANGE, Workloads.INSERT_SPREAD);
    public List<Workload> ycsbWorkloads = Workloads.YCSB;
    public Duration ycsbSlice = Duration.ofSeconds(3);
    /** Client threads of the YCSB comparisons and the shard-scaling runs. */
    public int ycsbClients = 32;
    public int shardScalingClients = 32;
    public int ycsbRounds = 2;
    /** The client-scaling series (targeted reads, direct / relay / router). */
    public List<Integer> clientCounts = List.of(1, 2, 4, 8, 16, 32, 64, 128, 256);
    public Duration scalingSlice = Duration.ofSeconds(3);
    /** Shard counts for the scaling runs: one collection is spread over each count. */
    public List<Integer> shardLayouts = List.of(1, 2, 4);
    public int chunksPerShard = 4;
    public List<Workload> shardScalingWorkloads = List.of(Workloads.TARGETED_READ, Workloads.SCATTER_SORT, Workloads.INSERT_SPREAD);
    public Duration shardScalingSlice = Duration.ofSeconds(4);
    public int scatterRounds = 3;
    public Duration scatterSlice = Duration.ofSeconds(3);
    public int idleConnections = 10_000;
    /** Attacker connection counts of the flood scenario (issue 12). */
    public List<Integer> floodConnections = List.of(300, 1_000, 5_000);
    /** Chunk counts at which a one-chunk routing refresh is timed, and samples per count. */
    public List<Integer> refreshChunks = List.of(10, 1_000, 10_000);
    public int refreshSamples = 30;
    public Duration isolationSlice = Duration.ofSeconds(4);
    /** JFR profile of the router under targeted load (separate processes only). */
    public boolean profile = true;
    public boolean jmh = true;
    /** JVM options of the router process; empty: the router's own ({@code RouterMain.JVM_OPTIONS}). */
    public List<String> routerJvm = List.of();
    /** More arguments of the router process (--router-args), after the bench's own. */
    public List<String> routerArgs = List.of();
    /** Members per shard: 1, single-node shards; 3, replica-set shards as bin/cluster starts them. */
    public int members = 1;
    /** Router connections per shard host (RouterOptions default). */
    public int poolSize = 32;

    public static BenchSettings full(Path out) {
        BenchSettings s = new BenchSettings();
        s.out = out;
        return s;
    }

    public static BenchSettings quick(Path out) {
        BenchSettings s = new BenchSettings();
        s.quick = true;
        s.inJvm = true;
        s.out = out;
        s.recordCount = 1_000;
        s.slice = Duration.ofMillis(600);
        s.warmup = Duration.ofMillis(600);
        s.rounds = 1;
        s.ycsbSlice = Duration.ofMillis(300);
        s.ycsbRounds = 1;
        // Scans and scatter-gather sorts cost the engine tens of ms each: fewer clients keep the slice tails short.
        s.ycsbClients = 8;
        s.shardScalingClients = 8;
        s.clientCounts = List.of(1, 8, 32);
        s.scalingSlice = Duration.ofMillis(300);
        s.shardLayouts = List.of(1, 2);
        s.chunksPerShard = 2;
        s.shardScalingWorkloads = List.of(Workloads.TARGETED_READ, Workloads.SCATTER_SORT);
        s.shardScalingSlice = Duration.ofMillis(500);
        s.scatterRounds = 1;
        s.scatterSlice = Duration.ofMillis(500);
        s.idleConnections = 200;
        s.floodConnections = List.of(50);
        s.refreshChunks = List.of(10, 100);
        s.refreshSamples = 5;
        s.isolationSlice = Duration.ofMillis(500);
        s.profile = false;
        s.jmh = false;
        return s;
    }

    public int maxShards() {
        return shardLayouts.stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    public int maxClients() {
        return Math.max(clients, clientCounts.stream().mapToInt(Integer::intValue).max().orElse(clients));
    }

    /** The benchmark collection spread over {@code shards} shards. */
    public static String collection(int shards) {
        return "s" + shards;
    }
}
