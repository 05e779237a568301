package io.shardstore.bench.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.shardstore.bench.BenchSettings;
import io.shardstore.bench.report.ProfileResult;
import io.shardstore.bench.run.PhaseSpec;
import io.shardstore.bench.ycsb.Workloads;

/**
 * A JFR recording of the router process (started and stopped with jcmd, so the measured slices before it ran
 * without the profiler) under the targeted read and update load of the goals, then summarised from
 * {@code jfr print --events jdk.ExecutionSample}.
 */
public final class ProfileScenario {

    private ProfileScenario() {
    }

    public static void run(BenchContext ctx) throws Exception {
        long pid = ctx.cluster.pid("router");
        if (pid <= 0) {
            return;
        }
        var s = ctx.settings;
        ctx.progress.section("Profile: JFR on the router under targeted reads and updates (" + s.clients + " clients), then scatter-gather");
        Path settings = samplingEveryMillisecond(s.out);
        record(ctx, pid, settings, "targeted reads then targeted updates on `ycsb.s1`, " + s.clients + " clients", "router-targeted.jfr",
            List.of(new PhaseSpec("profile", Workloads.TARGETED_READ, BenchSettings.DATABASE, ctx.layout(1), ctx.router, s.clients,
                    s.slice.multipliedBy(3), 0),
                new PhaseSpec("profile", Workloads.TARGETED_UPDATE, BenchSettings.DATABASE, ctx.layout(1), ctx.router, s.clients,
                    s.slice.multipliedBy(3), 0)));
        int shards = s.maxShards();
        record(ctx, pid, settings, "scatter-gather sort + limit 100 on `ycsb.s" + shards + "`, 16 clients", "router-scatter.jfr",
            List.of(new PhaseSpec("profile", Workloads.SCATTER_SORT, BenchSettings.DATABASE, ctx.layout(shards), ctx.router, 16,
                s.slice.multipliedBy(3), 0)));
    }

    private static void record(BenchContext ctx, long pid, Path settings, String title, String file, List<PhaseSpec> load) throws Exception {
        Path jfr = ctx.settings.out.resolve(file).toAbsolutePath();
        Files.deleteIfExists(jfr);
        exec("jcmd", Long.toString(pid), "JFR.start", "name=bench", "settings=" + settings.toAbsolutePath());
        try {
            for (PhaseSpec spec : load) {
                ctx.runner.run(spec);
            }
        } finally {
            exec("jcmd", Long.toString(pid), "JFR.stop", "name=bench", "filename=" + jfr);
        }
        String printed = exec("jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "128", jfr.toString());
        ProfileResult p = JfrSummary.summarize(title, file, printed);
        ctx.results.profiles.add(p);
        ctx.progress.note(String.format("%s: %,d execution samples; top area: %s", file, p.samples(),
            p.categories().isEmpty() ? "-" : p.categories().get(0).name()));
    }

    /**
     * JFR's "profile" settings with Java execution sampled every 1 ms instead of 10: on this shared 2-core machine the
     * router's threads get little CPU, and at 10 ms a recording of a few seconds holds too few samples to read.
     */
    private static Path samplingEveryMillisecond(Path dir) throws IOException {
        String profile = Files.readString(Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc"));
        String fast = profile.replace("<setting name=\"period\" control=\"method-sampling-java-interval\">10 ms</setting>",
            "<setting name=\"period\" control=\"method-sampling-java-interval\">1 ms</setting>");
        Path out = dir.resolve("logs").resolve("profile-1ms.jfc");
        Files.createDirectories(out.getParent());
        Files.writeString(out, fast);
        return out;
    }

    public static String exec(String... cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("bench-exec", ".txt");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish");
            }
            String text = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + text.trim());
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
