package io.shardstore.bench;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import io.shardstore.bench.report.Results;
import io.shardstore.bench.run.Progress;
import io.shardstore.bench.ycsb.Workloads;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/bench}: see --help. */
@Command(name = "bench", mixinStandardHelpOptions = true, version = "bench 0.1.0",
    description = {"Benchmarks the router against a shard directly and a plain TCP relay (YCSB A-F and sharding mixes), scales clients "
        + "and shards, holds idle connections, times routing refreshes, profiles the router and runs the JMH micro-benchmarks; "
        + "writes report.md, results.json and PNG plots.",
        "Only 127.0.0.1 is used: the bench starts its own cluster."})
public final class BenchMain implements Callable<Integer> {

    @Option(names = "--quick", description = "in-JVM cluster, small data, short slices, no JMH or profile: under a minute")
    boolean quick;

    @Option(names = "--out", description = "results folder (default: bench-results/<date-time>)")
    Path out;

    @Option(names = "--in-jvm", description = "run every server inside the bench JVM (no per-process CPU / memory figures)")
    Boolean inJvm;

    @Option(names = "--only", split = ",", description = "scenarios to run, of: ${COMPLETION-CANDIDATES}", completionCandidates = Scenarios.class)
    List<String> only;

    @Option(names = "--recordcount", description = "records per collection (YCSB recordcount)")
    Long recordCount;

    @Option(names = "--operationcount", description = "operations per measured slice (YCSB operationcount); slices also end by time")
    Long operationCount;

    @Option(names = "--fieldcount", description = "fields per record (YCSB fieldcount)")
    Integer fieldCount;

    @Option(names = "--fieldlength", description = "bytes per field (YCSB fieldlength)")
    Integer fieldLength;

    @Option(names = "--clients", description = "client threads of the baseline comparisons (default 32)")
    Integer clients;

    @Option(names = "--threads", split = ",", description = "client-thread series of the scaling run, e.g. 1,4,16,64,256")
    List<Integer> threads;

    @Option(names = "--shards", split = ",", description = "shard counts of the scaling runs, e.g. 1,2,4")
    List<Integer> shards;

    @Option(names = "--flood", split = ",", description = "attacker connection counts of the flood scenario (default 300,1000,5000)")
    List<Integer> flood;

    @Option(names = "--workloads", split = ",", description = "YCSB workloads to run, e.g. A,C,E (default A-F)")
    List<String> workloads;

    @Option(names = "--slice", description = "seconds per measured slice of the baseline comparisons")
    Double slice;

    @Option(names = "--warmup", description = "seconds each path runs unrecorded before the first workload's slices, "
        + "so the router's JIT has compiled its hot path (default 45, for each goal workload; the others get a third of it, at most 1 s)")
    Double warmup;

    @Option(names = "--rounds", description = "rounds of alternating slices")
    Integer rounds;

    @Option(names = "--idle", description = "idle connections to hold against the router")
    Integer idle;

    @Option(names = "--router-jvm", split = " ", description = "JVM options of the router process, e.g. \"-Xmx512m\" (default: the router's own)")
    List<String> routerJvm;

    @Option(names = "--router-args", split = " ", description = "more arguments of the router process, e.g. \"--ioThreads 1\" "
        + "(default: none)")
    List<String> routerArgs;

    @Option(names = "--members", description = "members per shard: 1 (single-node shards, the default) or 3 (replica-set shards, "
        + "as bin/cluster starts them; the drivers' defaults: retryable writes, the set's w: majority)")
    Integer members;

    @Option(names = "--no-jmh", description = "skip the JMH micro-benchmarks")
    boolean noJmh;

    @Option(names = "--no-profile", description = "skip the JFR profile of the router")
    boolean noProfile;

    @Override
    public Integer call() throws Exception {
        Path dir = out != null ? out : Path.of("bench-results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        BenchSettings s = quick ? BenchSettings.quick(dir) : BenchSettings.full(dir);
        apply(s);
        Set<String> scenarios = new LinkedHashSet<>(only != null ? only : BenchRun.SCENARIOS);
        for (String sc : scenarios) {
            if (!BenchRun.SCENARIOS.contains(sc)) {
                System.err.println("bench: unknown scenario " + sc + "; known: " + BenchRun.SCENARIOS);
                return 2;
            }
        }
        if (!scenarios.contains("jmh")) {
            s.jmh = false;
        }
        Results r = new BenchRun(s, scenarios, Progress.console(), "bin/bench " + String.join(" ", spec.commandLine().getParseResult().originalArgs()))
            .run();
        return BenchRun.failed(r) ? 1 : 0;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private void apply(BenchSettings s) {
        if (inJvm != null) {
            s.inJvm = inJvm;
        }
        if (recordCount != null) {
            s.recordCount = recordCount;
        }
        if (operationCount != null) {
            s.operationCount = operationCount;
        }
        if (fieldCount != null) {
            s.fieldCount = fieldCount;
        }
        if (fieldLength != null) {
            s.fieldLength = fieldLength;
        }
        if (clients != null) {
            s.clients = clients;
        }
        if (threads != null) {
            s.clientCounts = threads;
        }
        if (shards != null) {
            s.shardLayouts = shards;
        }
        if (workloads != null) {
            s.ycsbWorkloads = workloads.stream().map(Workloads::byName).toList();
        }
        if (warmup != null) {
            s.warmup = java.time.Duration.ofMillis((long) (warmup * 1000));
        }
        if (slice != null) {
            s.slice = java.time.Duration.ofMillis((long) (slice * 1000));
        }
        if (routerJvm != null) {
            s.routerJvm = routerJvm;
        }
        if (routerArgs != null) {
            s.routerArgs = routerArgs;
        }
        if (rounds != null) {
            s.rounds = rounds;
        }
        if (idle != null) {
            s.idleConnections = idle;
        }
        if (flood != null) {
            s.floodConnections = flood;
        }
        if (members != null) {
            if (members < 1 || (members > 1 && s.inJvm)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--members: 1, or more with separate processes");
            }
            s.members = members;
        }
        if (noJmh) {
            s.jmh = false;
        }
        if (noProfile) {
            s.profile = false;
        }
    }

    static final class Scenarios implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return BenchRun.SCENARIOS.iterator();
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
