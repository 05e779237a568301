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
        ctx.progress.section("Profile: JFR on the router under targeted reads and updates, " + s.clients + " clients");
        Path jfr = s.out.resolve("router.jfr").toAbsolutePath();
        Files.deleteIfExists(jfr);
        Path settings = samplingEveryMillisecond(s.out);
        exec("jcmd", Long.toString(pid), "JFR.start", "name=bench", "settings=" + settings.toAbsolutePath());
        try {
            for (var w : List.of(Workloads.TARGETED_READ, Workloads.TARGETED_UPDATE)) {
                ctx.runner.run(new PhaseSpec("profile", w, BenchSettings.DATABASE, ctx.layout(1), ctx.router, s.clients,
                    s.slice.multipliedBy(3), 0));
            }
        } finally {
            exec("jcmd", Long.toString(pid), "JFR.stop", "name=bench", "filename=" + jfr);
        }
        String printed = exec("jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "128", jfr.toString());
        ProfileResult p = JfrSummary.summarize(s.out.relativize(jfr).toString(), printed);
        ctx.results.profile = p;
        ctx.progress.note(String.format("%,d execution samples; top: %s", p.samples(),
            p.topSelf().isEmpty() ? "-" : p.topSelf().get(0).name() + " " + String.format("%.1f%%", p.topSelf().get(0).percent())));
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
