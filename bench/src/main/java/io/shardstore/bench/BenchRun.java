package io.shardstore.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.shardstore.bench.report.Charts;
import io.shardstore.bench.report.Goals;
import io.shardstore.bench.report.JsonResults;
import io.shardstore.bench.report.MachineInfo;
import io.shardstore.bench.report.MarkdownReport;
import io.shardstore.bench.report.Results;
import io.shardstore.bench.run.Progress;
import io.shardstore.bench.scenario.BaselineScenario;
import io.shardstore.bench.scenario.BenchContext;
import io.shardstore.bench.scenario.ClientScalingScenario;
import io.shardstore.bench.scenario.SamplingScenario;
import io.shardstore.bench.scenario.DataSetup;
import io.shardstore.bench.scenario.IdleScenario;
import io.shardstore.bench.scenario.JmhScenario;
import io.shardstore.bench.scenario.FloodScenario;
import io.shardstore.bench.scenario.ProfileScenario;
import io.shardstore.bench.scenario.RefreshScenario;
import io.shardstore.bench.scenario.ScatterScenario;
import io.shardstore.bench.scenario.ShardScalingScenario;
import io.shardstore.bench.servers.BenchCluster;
import io.shardstore.bench.servers.InJvmCluster;
import io.shardstore.bench.servers.ProcessCluster;
import io.shardstore.bench.ycsb.KeySpace;

/**
 * One benchmark run: start the cluster, load the collections, run the selected scenarios in order, stop the
 * cluster, run JMH, then write report.md, results.json and the plots. A scenario that fails is recorded in the
 * report and the run goes on with the next one (a 12-minute run should not be lost to one broken part).
 */
public final class BenchRun {
    public static final List<String> SCENARIOS = List.of("baselines", "ycsb", "clients", "shards", "scatter", "refresh", "profile", "idle", "flood", "sampling", "jmh");

    private final BenchSettings settings;
    private final Set<String> scenarios;
    private final Progress progress;
    private final Results results;

    public BenchRun(BenchSettings settings, Set<String> scenarios, Progress progress, String commandLine) {
        this.settings = settings;
        this.scenarios = scenarios;
        this.progress = progress;
        this.results = new Results(settings, MachineInfo.current());
        this.results.commandLine = commandLine;
    }

    /** Runs everything and writes the report; returns the results (failures are in {@link Results#notes}). */
    public Results run() throws Exception {
        Files.createDirectories(settings.out);
        writeMachineDescription();
        if (scenarios.stream().anyMatch(s -> !s.equals("jmh"))) {
            progress.section("Starting the cluster (" + (settings.inJvm ? "in this JVM" : "separate processes") + ", "
                + settings.maxShards() + " shards)");
            BenchCluster cluster = settings.inJvm ? InJvmCluster.start(settings.maxShards())
                : ProcessCluster.start(settings.maxShards(), settings.members, settings.out.resolve("logs"), settings.poolSize,
                    settings.routerJvm, settings.routerArgs);
            // Ctrl-C must not leave server processes behind.
            Thread onInterrupt = new Thread(cluster::close, "bench-interrupted");
            if (!settings.inJvm) {
                Runtime.getRuntime().addShutdownHook(onInterrupt);
            }
            try (BenchContext ctx = new BenchContext(settings, cluster, progress, results)) {
                results.cluster = cluster.describe();
                results.relayKind = cluster.relay().kind();
                load(ctx);
                step("baselines", () -> BaselineScenario.run(ctx));
                step("ycsb", () -> BaselineScenario.runYcsb(ctx));
                step("clients", () -> ClientScalingScenario.run(ctx));
                step("shards", () -> ShardScalingScenario.run(ctx));
                step("scatter", () -> ScatterScenario.run(ctx));
                step("refresh", () -> RefreshScenario.run(ctx));
                step("profile", () -> {
                    if (settings.profile) {
                        ProfileScenario.run(ctx);
                    }
                });
                step("idle", () -> IdleScenario.run(ctx));
                step("flood", () -> FloodScenario.run(ctx));
                step("sampling", () -> SamplingScenario.run(ctx));
            } finally {
                if (!settings.inJvm) {
                    Runtime.getRuntime().removeShutdownHook(onInterrupt);
                }
                stop(cluster);
            }
        }
        if (settings.jmh) {
            step("jmh", () -> JmhScenario.run(results, settings.out, progress, "io\\.shardstore\\.bench\\.jmh\\..*"));
        } else {
            results.jmhNote = "Not run in this mode (`--quick` skips JMH; run `bin/bench --only jmh` for the micro-benchmarks).";
        }
        results.finished = Instant.now();
        results.loadAverageEnd = MachineInfo.loadAverageNow();
        Goals.evaluate(results);
        long t0 = System.nanoTime();
        List<String> plots = Charts.write(results, settings.out);
        progress.note(String.format("plots drawn in %.1f s", (System.nanoTime() - t0) / 1e9));
        MarkdownReport.write(results, settings.out.resolve("report.md"), plots);
        JsonResults.write(results, settings.out.resolve("results.json"), plots);
        progress.section("Report written: " + settings.out.resolve("report.md"));
        results.goals.forEach(g -> progress.note(String.format("%-8s %s: %s", g.verdict(), g.name(), g.measured())));
        return results;
    }

    /**
     * Separate processes stop here, before JMH, so they do not compete with it. The in-JVM cluster stops in the
     * background instead: its Netty groups shut down gracefully one after another (15 s or so), which the quick run
     * would otherwise spend waiting; the JVM exits when the run is over anyway.
     */
    private void stop(BenchCluster cluster) {
        if (settings.inJvm) {
            Thread closer = new Thread(cluster::close, "bench-cluster-stop");
            closer.setDaemon(true);
            closer.start();
            stopping = closer;
            return;
        }
        long t0 = System.nanoTime();
        progress.update("stopping the cluster");
        cluster.close();
        progress.note(String.format("cluster stopped in %.1f s", (System.nanoTime() - t0) / 1e9));
    }

    private Thread stopping;

    /** Waits (bounded) for an in-JVM cluster stopping in the background, e.g. before starting another run in this JVM. */
    public void awaitStopped(java.time.Duration timeout) throws InterruptedException {
        if (stopping != null) {
            stopping.join(timeout.toMillis());
        }
    }

    /** machine.txt: what the figures were measured on, in the tools' own words. */
    private void writeMachineDescription() {
        StringBuilder sb = new StringBuilder();
        for (List<String> cmd : List.of(List.of("nproc"), List.of("free", "-m"), List.of("uname", "-a"), List.of("cat", "/proc/loadavg"),
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version"))) {
            sb.append("$ ").append(String.join(" ", cmd)).append('\n');
            try {
                sb.append(ProfileScenario.exec(cmd.toArray(String[]::new)));
            } catch (Exception e) {
                sb.append("(").append(e.getMessage()).append(")\n");
            }
        }
        sb.append("$ grep 'model name' /proc/cpuinfo\n").append(results.machine.cpuModel()).append('\n');
        try {
            Files.writeString(settings.out.resolve("machine.txt"), sb.toString());
        } catch (java.io.IOException e) {
            progress.note("cannot write machine.txt: " + e);
        }
    }

    private void load(BenchContext ctx) throws Exception {
        progress.section("Loading " + String.format("%,d", settings.recordCount) + " records into each of "
            + settings.shardLayouts.stream().map(BenchSettings::collection).toList() + " through the router");
        DataSetup.enableSharding(ctx.router.client(), BenchSettings.DATABASE);
        double seconds = 0;
        for (int n : settings.shardLayouts) {
            String coll = BenchSettings.collection(n);
            DataSetup.shardOver(ctx.router.client(), BenchSettings.DATABASE, coll, n, settings.chunksPerShard);
            seconds += DataSetup.load(ctx.router.client(), BenchSettings.DATABASE, coll, ctx.records, settings.recordCount, 4, progress);
            ctx.layouts.put(n, new KeySpace(coll, settings.recordCount));
        }
        results.loadedRecords = settings.recordCount;
        results.loadSeconds = seconds;
        progress.note(String.format("loaded %,d records x %d collections in %.1f s", settings.recordCount, settings.shardLayouts.size(), seconds));
    }

    private interface Step {
        void run() throws Exception;
    }

    private void step(String name, Step step) {
        if (!scenarios.contains(name)) {
            return;
        }
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            String msg = "scenario `" + name + "` failed: " + e;
            results.notes.add("FAILED: " + msg);
            progress.note(msg);
            e.printStackTrace(System.err);
        }
    }

    public static boolean failed(Results r) {
        return r.notes.stream().anyMatch(n -> n.startsWith("FAILED"));
    }
}
