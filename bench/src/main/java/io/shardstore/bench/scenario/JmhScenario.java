package io.shardstore.bench.scenario;

import java.nio.file.Path;
import java.util.Collection;
import java.util.stream.Collectors;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import io.shardstore.bench.report.JmhRow;
import io.shardstore.bench.report.Results;
import io.shardstore.bench.run.Progress;

/**
 * Runs the JMH micro-benchmarks in {@code io.shardstore.bench.jmh} (forked JVMs, short but real warm-up and
 * measurement iterations) and keeps their scores for the report; JMH's own output goes to jmh.txt.
 */
public final class JmhScenario {

    private JmhScenario() {
    }

    public static void run(Results results, Path out, Progress progress, String include) throws Exception {
        progress.section("JMH micro-benchmarks (" + include + "), output in jmh.txt");
        Options options = new OptionsBuilder()
            .include(include)
            .forks(1)
            .warmupIterations(2).warmupTime(TimeValue.seconds(1))
            .measurementIterations(5).measurementTime(TimeValue.seconds(1))
            .jvmArgs("-Xmx3g") // the 1,000,000-chunk map
            .output(out.resolve("jmh.txt").toString())
            .result(out.resolve("jmh.json").toString()).resultFormat(ResultFormatType.JSON)
            .build();
        Collection<RunResult> runs = new Runner(options).run();
        for (RunResult r : runs) {
            var params = r.getParams();
            String p = params.getParamsKeys().stream().map(k -> k + "=" + params.getParam(k)).collect(Collectors.joining(", "));
            String name = params.getBenchmark().substring(params.getBenchmark().lastIndexOf("jmh.") + 4);
            var primary = r.getPrimaryResult();
            var stats = primary.getStatistics();
            results.jmh.add(new JmhRow(name, p, primary.getScore(), primary.getScoreError(), stats.getPercentile(50), stats.getMin(),
                primary.getScoreUnit()));
            progress.note(String.format("%-32s %-34s median %,12.3f  best %,12.3f %s", name, p, stats.getPercentile(50), stats.getMin(),
                primary.getScoreUnit()));
        }
    }
}
