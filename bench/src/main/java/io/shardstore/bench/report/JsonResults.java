package io.shardstore.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import io.shardstore.bench.run.Aggregate;
import io.shardstore.bench.run.Histograms;

/** results.json: the figures in machine-readable form (for comparing runs, and for the smoke test's checks). */
public final class JsonResults {

    private JsonResults() {
    }

    public static void write(Results r, Path file, List<String> plots) throws IOException {
        Document d = new Document("mode", r.settings.quick ? "quick" : "full")
            .append("started", r.started.toString()).append("finished", r.finished.toString())
            .append("machine", new Document("cpus", r.machine.cpus()).append("cpuModel", r.machine.cpuModel())
                .append("memoryBytes", r.machine.memoryBytes()).append("java", r.machine.javaVersion()))
            .append("cluster", r.cluster).append("relay", r.relayKind)
            .append("loadedRecords", r.loadedRecords).append("loadSeconds", r.loadSeconds)
            .append("baselines", compares(r.baselines)).append("ycsb", compares(r.ycsb))
            .append("shardScaling", compares(r.shardScaling))
            .append("scatter", r.scatter == null ? null : compare(r.scatter));
        List<Document> scaling = new ArrayList<>();
        r.clientScaling.forEach((clients, lanes) -> scaling.add(new Document("clients", clients).append("lanes", lanes(lanes))));
        d.append("clientScaling", scaling);
        if (r.refresh != null) {
            Document refresh = new Document();
            r.refresh.refreshMicros().forEach((chunks, h) -> refresh.append(Integer.toString(chunks), latency(h)
                .append("configReads", latency(r.refresh.queryMicros().get(chunks)))));
            d.append("refresh", new Document("oneChunkRefresh", refresh).append("quiet", lane(r.refresh.quiet()))
                .append("storm", lane(r.refresh.storm())).append("paused", r.refresh.paused() == null ? null : lane(r.refresh.paused())));
        }
        if (r.idle != null) {
            IdleResult i = r.idle;
            d.append("idle", new Document("requested", i.requested()).append("opened", i.opened()).append("rssIdleBytes", i.rssIdleBytes())
                .append("rssLoadBytes", i.rssLoadBytes()).append("routerConnections", i.routerConnections())
                .append("backendMax", i.backendMax()).append("shardCurrentMax", i.shardCurrentMax()).append("poolSize", i.poolSize()));
        }
        List<Document> jmh = new ArrayList<>();
        r.jmh.forEach(j -> jmh.add(new Document("benchmark", j.benchmark()).append("params", j.params()).append("score", j.score())
            .append("error", j.error()).append("median", j.median()).append("min", j.min()).append("unit", j.unit())));
        d.append("jmh", jmh);
        List<Document> goals = new ArrayList<>();
        r.goals.forEach(g -> goals.add(new Document("goal", g.name()).append("target", g.target()).append("measured", g.measured())
            .append("verdict", g.verdict())));
        d.append("goals", goals).append("plots", plots);
        Files.writeString(file, d.toJson(JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).indent(true).build()));
    }

    private static List<Document> compares(List<CompareResult> list) {
        List<Document> out = new ArrayList<>();
        list.forEach(c -> out.add(compare(c)));
        return out;
    }

    private static Document compare(CompareResult c) {
        return new Document("workload", c.workload().name()).append("clients", c.clients()).append("lanes", lanes(c.lanes()));
    }

    private static Document lanes(Map<String, Aggregate> lanes) {
        Document d = new Document();
        lanes.forEach((name, a) -> d.append(name, lane(a)));
        return d;
    }

    private static Document lane(Aggregate a) {
        Document cpu = new Document();
        a.cpuSeconds().forEach(cpu::append);
        Document counters = new Document();
        a.counters().forEach(counters::append);
        return new Document("ops", a.ops()).append("seconds", a.seconds()).append("throughput", a.throughput())
            .append("errors", a.errors()).append("misses", a.misses()).append("latencyMs", latency(a.latency()))
            .append("cpuSeconds", cpu).append("clientCpuSeconds", a.clientCpuSeconds()).append("counters", counters)
            .append("shardOps", a.shardOps() == null ? null : java.util.Arrays.stream(a.shardOps()).boxed().toList());
    }

    private static Document latency(Histogram h) {
        return new Document("count", h.getTotalCount()).append("p50", Histograms.millis(h, 50)).append("p95", Histograms.millis(h, 95))
            .append("p99", Histograms.millis(h, 99)).append("p999", Histograms.millis(h, 99.9)).append("max", Histograms.maxMillis(h));
    }
}
