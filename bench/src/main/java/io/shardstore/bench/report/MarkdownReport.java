package io.shardstore.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

import io.shardstore.bench.BenchSettings;
import io.shardstore.bench.run.Aggregate;
import io.shardstore.bench.run.Histograms;
import io.shardstore.bench.ycsb.Operation;

/** report.md: the goals with their figures first, then every table the run produced, with the plots. */
public final class MarkdownReport {
    private final Results r;
    private final StringBuilder md = new StringBuilder();

    private MarkdownReport(Results r) {
        this.r = r;
    }

    public static void write(Results r, Path file, List<String> plots) throws IOException {
        MarkdownReport m = new MarkdownReport(r);
        m.build(plots);
        Files.writeString(file, m.md.toString());
    }

    private void build(List<String> plots) {
        BenchSettings s = r.settings;
        line("# shardstore benchmark report");
        line("");
        line("- **Run**: " + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(r.started.atOffset(ZoneOffset.UTC).withNano(0)) + " UTC, "
            + (s.quick ? "quick" : "full") + " mode, " + minutes(Duration.between(r.started, r.finished)) + ", command `" + r.commandLine + "`");
        line("- **Machine**: " + r.machine.cpus() + " CPUs (" + r.machine.cpuModel() + "), "
            + String.format("%.1f GiB", r.machine.memoryBytes() / 1073741824.0) + " RAM, " + r.machine.os() + "; Java "
            + r.machine.javaVersion() + ", " + r.machine.javaVm() + "; load average (1/5/15 min) " + r.machine.loadAverage() + " at the start, "
            + r.loadAverageEnd + " at the end: the machine is shared with other work, so absolute figures move between runs and "
            + "only side-by-side ratios are meaningful");
        line("- **Setup**: " + r.cluster);
        line("- **Data**: " + String.format("%,d", r.loadedRecords) + " records per collection (YCSB recordcount), " + s.fieldCount + " fields x "
            + s.fieldLength + " bytes (fieldcount x fieldlength), `_id` = FNV hash of the record number, range-sharded on `_id`; "
            + "collection `ycsb.sN` is pre-split into " + s.chunksPerShard + " chunks per shard over N shards. Loaded through the router at "
            + String.format("%,.0f", r.loadedRecords * s.shardLayouts.size() / Math.max(0.001, r.loadSeconds)) + " records/s.");
        line("- **Method**: closed-loop client threads (YCSB style) on the MongoDB Java sync driver; latencies in HdrHistogram (microseconds); "
            + "the paths take turns in slices, each round starting with a different path (goal workloads: " + s.rounds + " rounds of "
            + secs(s.slice) + "; other workloads: " + s.ycsbRounds + " x " + secs(s.ycsbSlice) + "), after an unrecorded warm-up per path (" + secs(s.warmup) + " before each goal workload, so the JIT compilers are done, "
            + secs(io.shardstore.bench.scenario.BaselineScenario.shortWarmup(s.warmup)) + " before each other one); "
            + "figures pool the slices; CPU per process from /proc/<pid>/stat over the same slices. Ratios compare paths measured side by "
            + "side in this run.");
        line("");
        goals();
        baselines("Baselines: direct vs relay vs router", "Same shard (shard0), same data (`ycsb.s1`; inserts go to an empty `ycsb.i1` sharded alike), " + s.clients + " clients; "
            + "the relay is a " + r.relayKind + " TCP relay to shard0.", r.baselines);
        baselines("YCSB core workloads A-F", "Same three paths on `ycsb.s1`, " + s.ycsbClients + " clients; YCSB's mixes and request distributions.", r.ycsb);
        perOperation();
        clientScaling(plots);
        shardScaling(plots);
        scatter(plots);
        refresh();
        idle();
        if (r.flood != null) {
            line(r.flood);
        }
        if (r.sampling != null) {
            line(r.sampling);
        }
        jmh();
        r.profiles.forEach(this::profile);
        if (!r.notes.isEmpty()) {
            line("## Notes");
            line("");
            r.notes.forEach(n -> line("- " + n));
            line("");
        }
    }

    private void goals() {
        line("## Performance goals (issue #5)");
        line("");
        line("| goal | target | measured | verdict |");
        line("| --- | --- | --- | --- |");
        for (Goal g : r.goals) {
            line("| " + g.name() + " | " + g.target() + " | " + g.measured() + (g.note() != null ? " (" + g.note() + ")" : "") + " | **"
                + g.verdict() + "** |");
        }
        line("");
    }

    private void baselines(String title, String intro, List<CompareResult> list) {
        if (list.isEmpty()) {
            return;
        }
        line("## " + title);
        line("");
        line(intro + " CPU columns: microseconds of CPU per operation of the path's own process (relay or router), of shard0, "
            + "and of the client JVM.");
        line("");
        line("| workload | path | ops/s | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms | errors | path CPU us/op | shard0 CPU us/op | client CPU us/op |");
        line("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (CompareResult c : list) {
            for (Aggregate a : c.lanes().values()) {
                Histogram h = a.latency();
                line("| " + c.workload().name() + " | " + a.target() + " | " + num(a.throughput()) + " | " + ms(Histograms.millis(h, 50)) + " | "
                    + ms(Histograms.millis(h, 95)) + " | " + ms(Histograms.millis(h, 99)) + " | " + ms(Histograms.millis(h, 99.9)) + " | "
                    + ms(Histograms.maxMillis(h)) + " | " + a.errors() + " | " + us(ownCpu(a)) + " | " + us(a.cpuMicrosPerOp("shard0")) + " | "
                    + us(clientCpu(a)) + " |");
            }
        }
        line("");
        line("| workload | router/relay throughput | router/relay p99 | router/direct throughput | router/direct p99 | router/relay CPU per op | relay/direct throughput | kernel CPU us/op: router, relay | context switches per op: router, relay |");
        line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (CompareResult c : list) {
            Aggregate router = c.lane("router");
            Aggregate relay = c.lane("relay");
            Aggregate direct = c.lane("direct");
            line("| " + c.workload().name() + " | " + ratio(router.throughput(), relay.throughput()) + " | "
                + ratio(Histograms.millis(router.latency(), 99), Histograms.millis(relay.latency(), 99)) + " | "
                + ratio(router.throughput(), direct.throughput()) + " | "
                + ratio(Histograms.millis(router.latency(), 99), Histograms.millis(direct.latency(), 99)) + " | "
                + ratio(router.cpuMicrosPerOp("router"), relay.cpuMicrosPerOp("relay")) + " | "
                + ratio(relay.throughput(), direct.throughput()) + " | " + us(router.counterPerOp("router.sysNanos") / 1000) + ", "
                + us(relay.counterPerOp("relay.sysNanos") / 1000) + " | " + us2(router.counterPerOp("router.ctxsw")) + ", "
                + us2(relay.counterPerOp("relay.ctxsw")) + " |");
        }
        line("");
        for (CompareResult c : list) {
            for (Aggregate a : c.lanes().values()) {
                if (a.errors() > 0) {
                    line("- " + c.workload().name() + " via " + a.target() + ": " + a.errors() + " errors, first: `" + a.firstError() + "`");
                }
            }
        }
    }

    /** In-JVM, the path's own CPU is not separable: the servers' share of the JVM's CPU is shown instead. */
    private double ownCpu(Aggregate a) {
        if (a.cpuSeconds().containsKey("jvm")) {
            return a.ops() == 0 ? Double.NaN : (a.cpuSeconds().get("jvm") - a.clientCpuSeconds()) * 1e6 / a.ops();
        }
        return a.cpuMicrosPerOp(a.process());
    }

    private double clientCpu(Aggregate a) {
        return a.ops() == 0 ? Double.NaN : a.clientCpuSeconds() * 1e6 / a.ops();
    }

    private void perOperation() {
        boolean any = r.ycsb.stream().anyMatch(c -> c.workload().proportions().size() > 1);
        if (!any) {
            return;
        }
        line("Per operation type (p50 / p99 ms) in the mixed workloads:");
        line("");
        line("| workload | operation | direct | relay | router |");
        line("| --- | --- | ---: | ---: | ---: |");
        for (CompareResult c : r.ycsb) {
            if (c.workload().proportions().size() < 2) {
                continue;
            }
            for (Operation op : c.workload().proportions().keySet()) {
                StringBuilder row = new StringBuilder("| " + c.workload().name() + " | " + op.name().toLowerCase() + " |");
                for (String lane : List.of("direct", "relay", "router")) {
                    Histogram h = c.lane(lane).perOperation().get(op);
                    row.append(h == null ? " n/a |" : " " + ms(Histograms.millis(h, 50)) + " / " + ms(Histograms.millis(h, 99)) + " |");
                }
                line(row.toString());
            }
        }
        line("");
    }

    private void clientScaling(List<String> plots) {
        if (r.clientScaling.isEmpty()) {
            return;
        }
        line("## Client scaling: targeted reads, 1 to " + r.clientScaling.keySet().stream().mapToInt(Integer::intValue).max().getAsInt()
            + " client threads");
        line("");
        line("| clients | direct ops/s | relay ops/s | router ops/s | router/relay | p50 ms: direct, relay, router | p99 ms: direct, relay, router | router CPU us/op | relay CPU us/op | context switches per op: router, relay |");
        line("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Map.Entry<Integer, Map<String, Aggregate>> e : r.clientScaling.entrySet()) {
            Map<String, Aggregate> l = e.getValue();
            line("| " + e.getKey() + " | " + num(l.get("direct").throughput()) + " | " + num(l.get("relay").throughput()) + " | "
                + num(l.get("router").throughput()) + " | " + ratio(l.get("router").throughput(), l.get("relay").throughput()) + " | "
                + ms(Histograms.millis(l.get("direct").latency(), 50)) + ", " + ms(Histograms.millis(l.get("relay").latency(), 50)) + ", "
                + ms(Histograms.millis(l.get("router").latency(), 50)) + " | "
                + ms(Histograms.millis(l.get("direct").latency(), 99)) + ", " + ms(Histograms.millis(l.get("relay").latency(), 99)) + ", "
                + ms(Histograms.millis(l.get("router").latency(), 99)) + " | " + us(ownCpu(l.get("router"))) + " | "
                + us(ownCpu(l.get("relay"))) + " | " + us2(l.get("router").counterPerOp("router.ctxsw")) + ", "
                + us2(l.get("relay").counterPerOp("relay.ctxsw")) + " |");
        }
        line("");
        image(plots, "throughput_vs_clients.png", "throughput vs clients");
        image(plots, "p99_vs_clients.png", "p99 vs clients");
        image(plots, "latency_cdf.png", "latency CDF, targeted reads");
        image(plots, "latency_cdf_updates.png", "latency CDF, targeted updates");
    }

    private void shardScaling(List<String> plots) {
        if (r.shardScaling.isEmpty()) {
            return;
        }
        line("## Shard scaling: the router over 1, 2, 4 shards");
        line("");
        line("One collection per shard count, the same records, " + r.settings.shardScalingClients + " clients through the router. The share columns "
            + "are each shard's own operation counters (serverStatus opcounters) during the slices. All servers share the machine's "
            + r.machine.cpus() + " CPUs, so more shards add parallel storage threads but no CPU.");
        line("");
        line("| workload | shards | ops/s | p50 ms | p99 ms | max ms | errors | per-shard share of operations |");
        line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        for (CompareResult c : r.shardScaling) {
            for (Map.Entry<String, Aggregate> e : c.lanes().entrySet()) {
                Aggregate a = e.getValue();
                line("| " + c.workload().name() + " | " + e.getKey() + " | " + num(a.throughput()) + " | " + ms(Histograms.millis(a.latency(), 50))
                    + " | " + ms(Histograms.millis(a.latency(), 99)) + " | " + ms(Histograms.maxMillis(a.latency())) + " | " + a.errors() + " | "
                    + share(a.shardOps()) + " |");
            }
        }
        line("");
        image(plots, "shard_scaling.png", "throughput by shard count");
        image(plots, "shard_share.png", "per-shard operation share");
    }

    private void scatter(List<String> plots) {
        if (r.scatter == null) {
            return;
        }
        line("## Scatter-gather sort + limit 100: router vs each shard's own latency");
        line("");
        line("`find({}).sort({n: 1}).limit(100)` on `ycsb.s" + r.settings.maxShards() + "`, one client, through the router (every shard "
            + "answers, the router merges), sent to each shard directly (the same query over that shard's part), and sent to all shards at "
            + "once from the client, which merges (`client fan-out`: the router's work without the router), alternating. The shards' "
            + "queries are CPU-bound in the engine; with more shards than CPUs, queries running at the same time slow each other down.");
        line("");
        line("| path | ops/s | p50 ms | p95 ms | p99 ms | max ms | errors |");
        line("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Aggregate a : r.scatter.lanes().values()) {
            line("| " + a.target() + " | " + num(a.throughput()) + " | " + ms(Histograms.millis(a.latency(), 50)) + " | "
                + ms(Histograms.millis(a.latency(), 95)) + " | " + ms(Histograms.millis(a.latency(), 99)) + " | "
                + ms(Histograms.maxMillis(a.latency())) + " | " + a.errors() + " |");
        }
        line("");
        image(plots, "latency_cdf_scatter.png", "scatter latency CDF");
    }

    private void refresh() {
        RefreshResult f = r.refresh;
        if (f == null) {
            return;
        }
        line("## Routing-table refresh");
        line("");
        line("Time for the router's `CatalogCache` (run in the bench JVM against the config server) to pick up one split of a collection "
            + "with N chunks (hashed `_id`, created with numInitialChunks N): an incremental refresh reads the collection entry and the "
            + "chunks newer than its cached version, merges them and builds a new map. Measured end to end, config-server round trips "
            + "included; the first refreshes of each collection are a warm-up and not counted.");
        line("");
        line("| chunks | samples | refresh p50 ms | refresh p99 ms | refresh max ms | its config-server reads alone, p50 ms | the rest (router side), p50 ms |");
        line("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        f.refreshMicros().forEach((chunks, h) -> {
            Histogram q = f.queryMicros().get(chunks);
            line("| " + String.format("%,d", chunks) + " | " + h.getTotalCount() + " | " + ms(Histograms.millis(h, 50)) + " | "
                + ms(Histograms.millis(h, 99)) + " | " + ms(Histograms.maxMillis(h)) + " | " + ms(Histograms.millis(q, 50)) + " | "
                + ms(Histograms.millis(h, 50) - Histograms.millis(q, 50)) + " |");
        });
        line("");
        line("Reads of collection B (`ycsb.s1`, targeted, 8 clients, through the router) with nothing else going on, while collection A is "
            + "split through the router in a loop (each split makes the router refresh A: " + f.stormRefreshes() + " refreshes, split+refresh "
            + "p50 " + ms(Histograms.millis(f.stormSplitMicros(), 50)) + " ms)" + (f.paused() != null ? ", and while A's refresh hangs on a "
            + "paused config server (SIGSTOP for " + String.format("%.1f", f.pausedSeconds()) + " s; A's read "
            + (f.pausedReadPendingAtEnd() ? "was still waiting when B's slice ended" : "did not wait") + ", answered after "
            + String.format("%.0f", f.pausedReadMillis()) + " ms" + (f.pausedReadError() != null ? ", `" + f.pausedReadError() + "`" : "") + ")" : "")
            + ":");
        line("");
        line("| reads of B | ops/s | p50 ms | p99 ms | max ms | errors |");
        line("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (Aggregate a : f.paused() != null ? List.of(f.quiet(), f.storm(), f.paused()) : List.of(f.quiet(), f.storm())) {
            line("| " + a.target() + " | " + num(a.throughput()) + " | " + ms(Histograms.millis(a.latency(), 50)) + " | "
                + ms(Histograms.millis(a.latency(), 99)) + " | " + ms(Histograms.maxMillis(a.latency())) + " | " + a.errors() + " |");
        }
        line("");
    }

    private void idle() {
        IdleResult i = r.idle;
        if (i == null) {
            return;
        }
        line("## Idle connections");
        line("");
        line(String.format("%,d raw TCP connections to the router, each completing a `hello` and then idle (opened %,d in %.1f s%s); "
            + "the router reported %,d connections. Then %d client threads of targeted reads on the widest collection on top "
            + "(%,.0f ops/s, %d errors).", i.requested(), i.opened(), i.openSeconds(), i.openError() != null ? ", " + i.openError() : "",
            i.routerConnections(), i.loadClients(), i.loadThroughput(), i.loadErrors()));
        line("");
        line("| figure | value |");
        line("| --- | --- |");
        line("| router RSS before | " + mib(i.rssBeforeBytes()) + " |");
        line("| router RSS with the idle connections | " + mib(i.rssIdleBytes()) + " |");
        line("| router Java heap then: committed / used (jcmd GC.heap_info) | " + mib(i.heapCommittedBytes()) + " / " + mib(i.heapUsedBytes()) + " |");
        line("| router RSS with load on top | " + mib(i.rssLoadBytes()) + " |");
        line("| router RSS after a full GC, connections still open (jcmd GC.run) | " + mib(i.rssAfterGcBytes()) + " |");
        line("| router peak RSS (VmHWM, whole run) | " + mib(i.hwmBytes()) + " |");
        line("| router's connections per shard, max during the load (/proc) | " + i.backendMax() + " (pool size " + i.poolSize() + ") |");
        line("| shards' connections.current, max during the load | " + i.shardCurrentMax() + " |");
        line("| shards' connections.current before | " + i.shardCurrentBefore() + " |");
        line("");
    }

    private void jmh() {
        if (r.jmh.isEmpty()) {
            if (r.jmhNote != null) {
                line("## JMH micro-benchmarks");
                line("");
                line(r.jmhNote);
                line("");
            }
            return;
        }
        line("## JMH micro-benchmarks");
        line("");
        line("One fork, 2 x 1 s warm-up, 5 x 1 s measurement per benchmark; full output in `jmh.txt`. The machine is shared, so "
            + "iterations spread: the median iteration is the figure used, the best one is the least disturbed, the mean and its "
            + "99.9% error are JMH's own.");
        line("");
        line("| benchmark | parameters | median | best | mean | error (99.9%) | unit |");
        line("| --- | --- | ---: | ---: | ---: | ---: | --- |");
        for (JmhRow j : r.jmh) {
            line("| " + j.benchmark() + " | " + j.params() + " | " + String.format("%,.3f", j.median()) + " | " + String.format("%,.3f", j.min())
                + " | " + String.format("%,.3f", j.score()) + " | " + String.format("%,.3f", j.error()) + " | " + j.unit() + " |");
        }
        line("");
    }

    private void profile(ProfileResult p) {
        line("## Where the router's time goes (JFR): " + p.title());
        line("");
        line(String.format("Recording `%s` of the router process (not committed: `jfr print --events jdk.ExecutionSample` reads it), "
            + "started after the measured scenarios: %,d execution samples. %s.", p.jfrFile(), p.samples(), p.note()));
        line("");
        line("By area (a sample counts once for each area on its stack):");
        line("");
        line("| area | samples | share |");
        line("| --- | ---: | ---: |");
        p.categories().forEach(s -> line("| " + s.name() + " | " + s.samples() + " | " + String.format("%.1f%%", s.percent()) + " |"));
        line("");
        line("Project methods by inclusive samples (the method anywhere on the stack):");
        line("");
        line("| method | samples | share |");
        line("| --- | ---: | ---: |");
        p.routerMethods().forEach(s -> line("| `" + s.name() + "` | " + s.samples() + " | " + String.format("%.1f%%", s.percent()) + " |"));
        line("");
        line("BSON work (org.bson frames) by the project method that asked for it:");
        line("");
        line("| caller | samples | share of all samples |");
        line("| --- | ---: | ---: |");
        p.bsonCallers().forEach(s -> line("| `" + s.name() + "` | " + s.samples() + " | " + String.format("%.1f%%", s.percent()) + " |"));
        line("");
        line("Top methods by self time:");
        line("");
        line("| method | samples | share |");
        line("| --- | ---: | ---: |");
        p.topSelf().forEach(s -> line("| `" + s.name() + "` | " + s.samples() + " | " + String.format("%.1f%%", s.percent()) + " |"));
        line("");
        line("By thread: " + String.join(", ", p.threads().stream().map(t -> t.name() + " " + String.format("%.0f%%", t.percent())).toList()));
        line("");
    }

    private static String share(long[] ops) {
        if (ops == null) {
            return "n/a";
        }
        long total = 0;
        for (long o : ops) {
            total += o;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ops.length; i++) {
            if (ops[i] > 0 || i == 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append("shard").append(i).append(" ")
                    .append(total == 0 ? "0" : String.format("%.0f%%", 100.0 * ops[i] / total));
            }
        }
        return sb.toString();
    }

    private void image(List<String> plots, String file, String alt) {
        if (plots.contains(file)) {
            line("![" + alt + "](" + file + ")");
            line("");
        }
    }

    private void line(String s) {
        md.append(s).append('\n');
    }

    static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%,.0f", v);
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "n/a" : v >= 100 ? String.format("%,.0f", v) : v >= 10 ? String.format("%.1f", v) : String.format("%.3f", v);
    }

    static String us(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%.1f", v);
    }

    static String us2(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%.2f", v);
    }

    static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "n/a" : String.format("%.2fx", a / b);
    }

    static String mib(long bytes) {
        return bytes < 0 ? "n/a (in-JVM)" : String.format("%.0f MiB", bytes / 1048576.0);
    }

    static String secs(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format("%.1f s", d.toMillis() / 1000.0);
    }

    static String minutes(Duration d) {
        return String.format("%d min %02d s", d.toMinutes(), d.toSecondsPart());
    }
}
