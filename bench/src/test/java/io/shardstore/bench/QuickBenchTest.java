package io.shardstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.shardstore.bench.report.Results;
import io.shardstore.bench.run.Progress;

/**
 * Runs {@code bin/bench --quick} (in-JVM cluster) and checks the report it writes: every file there, every path
 * measured with no errors, percentiles in order, targeting visible in the shards' own counters, every goal with
 * a verdict.
 */
class QuickBenchTest {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void quickRunWritesAReportWithSaneFigures(@TempDir Path out) throws Exception {
        BenchRun run = new BenchRun(BenchSettings.quick(out), new LinkedHashSet<>(BenchRun.SCENARIOS), new Progress(System.out, false),
            "bin/bench --quick");
        long t0 = System.nanoTime();
        Results results = run.run();
        System.out.printf("quick run took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        run.awaitStopped(Duration.ofSeconds(30));
        assertFalse(BenchRun.failed(results), () -> String.join("\n", results.notes));

        String report = Files.readString(out.resolve("report.md"));
        for (String section : List.of("## Performance goals", "## Baselines", "## YCSB core workloads A-F", "## Client scaling",
            "## Shard scaling", "## Scatter-gather", "## Routing-table refresh", "## Idle connections", "## Flood (issue 12)")) {
            assertTrue(report.contains(section), "report.md lacks " + section);
        }
        for (String png : List.of("throughput_vs_clients.png", "latency_cdf.png", "shard_share.png", "shard_scaling.png")) {
            byte[] bytes = Files.readAllBytes(out.resolve(png));
            assertTrue(bytes.length > 2_000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', png + " is not a PNG plot");
            assertTrue(report.contains("](" + png + ")"), "report.md does not show " + png);
        }

        Document json = Document.parse(Files.readString(out.resolve("results.json")));
        List<Document> baselines = json.getList("baselines", Document.class);
        assertEquals(Set.of("targeted-read", "targeted-update", "range", "insert-spread"),
            Set.copyOf(baselines.stream().map(b -> b.getString("workload")).toList()));
        for (Document b : baselines) {
            checkLanes(b.getString("workload"), b.get("lanes", Document.class), Set.of("direct", "relay", "router"));
        }
        List<Document> ycsb = json.getList("ycsb", Document.class);
        assertEquals(List.of("A", "B", "C", "D", "E", "F"), ycsb.stream().map(y -> y.getString("workload")).toList());
        ycsb.forEach(y -> checkLanes(y.getString("workload"), y.get("lanes", Document.class), Set.of("direct", "relay", "router")));
        checkLanes("scatter", json.get("scatter", Document.class).get("lanes", Document.class), Set.of("router", "shard0", "shard1", "client fan-out"));

        // The shards' own counters: a collection on one shard is served by shard0 alone; one over two shards by both.
        Document targeted = json.getList("shardScaling", Document.class).get(0);
        assertEquals("targeted-read", targeted.getString("workload"));
        List<Long> one = shardOps(targeted, "1 shard");
        List<Long> two = shardOps(targeted, "2 shards");
        assertTrue(one.get(0) > 0 && one.get(1) == 0, "1-shard collection served by " + one);
        assertTrue(two.get(0) > 0 && two.get(1) > 0, "2-shard collection served by " + two);

        Document idle = json.get("idle", Document.class);
        assertEquals(idle.getInteger("requested"), idle.getInteger("opened"));
        assertTrue(idle.getInteger("routerConnections") >= idle.getInteger("opened"), "router saw " + idle.getInteger("routerConnections"));

        // The flood's row: another client's pings all answered (the failures column is 0).
        String floodRow = report.lines().filter(l -> l.startsWith("| 50 |")).findFirst().orElse("");
        assertTrue(floodRow.matches("\\| 50 \\| .* \\| 0 \\| n/a / n/a / n/a \\|"), "flood row: " + floodRow);

        // Query sampling: both sides measured, and the sampled side took samples.
        String sampling = report.lines().filter(l -> l.startsWith("Throughput sampled / off:")).findFirst().orElse("");
        assertTrue(sampling.matches("Throughput sampled / off: \\*\\*[0-9.]+x\\*\\* .*samples taken: [1-9][0-9,]* .*"),
            "sampling line: " + sampling);

        List<Document> goals = json.getList("goals", Document.class);
        assertTrue(goals.size() >= 8, "goals: " + goals);
        for (Document g : goals) {
            assertTrue(Set.of("met", "MISSED", "not measured").contains(g.getString("verdict")), g.toJson());
        }
    }

    private static void checkLanes(String what, Document lanes, Set<String> expected) {
        assertEquals(expected, lanes.keySet(), what);
        for (String lane : expected) {
            Document l = lanes.get(lane, Document.class);
            String at = what + " via " + lane;
            assertTrue(l.get("ops", Number.class).longValue() > 0, at + ": no operations");
            assertEquals(0L, l.get("errors", Number.class).longValue(), at + ": errors");
            assertTrue(l.getDouble("throughput") > 0, at);
            Document ms = l.get("latencyMs", Document.class);
            double p50 = ms.getDouble("p50");
            double p95 = ms.getDouble("p95");
            double p99 = ms.getDouble("p99");
            double p999 = ms.getDouble("p999");
            double max = ms.getDouble("max");
            assertTrue(p50 > 0 && p50 <= p95 && p95 <= p99 && p99 <= p999 && p999 <= max && max < 60_000, at + ": " + ms.toJson());
        }
    }

    private static List<Long> shardOps(Document compare, String lane) {
        return compare.get("lanes", Document.class).get(lane, Document.class).getList("shardOps", Number.class).stream()
            .map(Number::longValue).toList();
    }
}
