package io.shardstore.bench.report;

import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

import io.shardstore.bench.run.Aggregate;
import io.shardstore.bench.run.Histograms;

/** Checks the measured figures against the performance goals of issues #5 and #15. */
public final class Goals {
    static final double MIB = 1048576.0;

    private Goals() {
    }

    public static void evaluate(Results r) {
        r.goals.clear();
        for (String w : List.of("targeted-read", "targeted-update")) {
            CompareResult c = r.baseline(w);
            if (c == null) {
                continue;
            }
            Aggregate router = c.lane("router");
            Aggregate relay = c.lane("relay");
            double tput = router.throughput() / relay.throughput();
            r.goals.add(new Goal(w + " at " + c.clients() + " clients: throughput", "router >= 0.95x relay",
                String.format("%.3fx (router %,.0f ops/s, relay %,.0f ops/s; per round %s)", tput, router.throughput(), relay.throughput(),
                    roundRatios(router, relay)), tput >= 0.95, null));
            double p99 = Histograms.millis(router.latency(), 99) / Histograms.millis(relay.latency(), 99);
            r.goals.add(new Goal(w + " at " + c.clients() + " clients: p99 latency", "router <= 1.15x relay",
                String.format("%.3fx (router %.3f ms, relay %.3f ms)", p99, Histograms.millis(router.latency(), 99),
                    Histograms.millis(relay.latency(), 99)), p99 <= 1.15, null));
            double cpuRouter = router.cpuMicrosPerOp("router");
            double cpuRelay = relay.cpuMicrosPerOp("relay");
            if (Double.isNaN(cpuRouter) || Double.isNaN(cpuRelay)) {
                r.goals.add(new Goal(w + ": router CPU per op", "<= 1.2x relay's", "needs separate processes (in-JVM run)", null, null));
            } else {
                double ratio = cpuRouter / cpuRelay;
                r.goals.add(new Goal(w + ": router CPU per op", "<= 1.2x relay's",
                    String.format("%.2fx (router %.1f us/op, of it kernel %.1f%s; relay %.1f us/op, kernel %.1f; context switches per op: "
                            + "router %.2f, relay %.2f)", ratio, cpuRouter, router.counterPerOp("router.sysNanos") / 1000,
                        byThread(router, cpuRouter), cpuRelay,
                        relay.counterPerOp("relay.sysNanos") / 1000, router.counterPerOp("router.ctxsw"), relay.counterPerOp("relay.ctxsw")),
                    ratio <= 1.2, null));
            }
        }
        ycsbScans(r);
        chunkLookup(r);
        refresh(r);
        idle(r);
        scatter(r);
    }

    /** The router's CPU per op by thread: event loops, JIT compilers, the rest (monitors, pollers, GC, the JVM's own). */
    static String byThread(Aggregate router, double cpuRouter) {
        double loops = router.counterPerOp("router.loopNanos") / 1000;
        double jit = router.counterPerOp("router.jitNanos") / 1000;
        if (Double.isNaN(loops) || Double.isNaN(jit) || loops < 0 || jit < 0) {
            return "";
        }
        return String.format("; by thread: event loops %.1f, JIT %.1f, other threads %.1f", loops, jit, cpuRouter - loops - jit);
    }

    /** Issue 15: YCSB E's scans (sorted, limit 1-100) run at a fifth of YCSB C's point reads or better, same data. */
    private static void ycsbScans(Results r) {
        CompareResult e = r.ycsb.stream().filter(c -> c.workload().name().equals("E")).findFirst().orElse(null);
        CompareResult c = r.ycsb.stream().filter(x -> x.workload().name().equals("C")).findFirst().orElse(null);
        if (e == null || c == null) {
            return;
        }
        double scanShare = e.workload().share(io.shardstore.bench.ycsb.Operation.SCAN);
        StringBuilder figures = new StringBuilder();
        boolean met = true;
        for (String lane : List.of("router", "direct")) {
            double scans = e.lane(lane).throughput() * scanShare;
            double ratio = scans / c.lane(lane).throughput();
            met &= ratio >= 0.2;
            figures.append(figures.length() == 0 ? "" : "; ").append(String.format("%s %.2fx (%,.0f scans/s, C %,.0f reads/s)", lane,
                ratio, scans, c.lane(lane).throughput()));
        }
        r.goals.add(new Goal("YCSB E at " + e.clients() + " clients: scan throughput", ">= 0.2x YCSB C's", figures.toString(), met,
            "issue 15; judged through the router and directly"));
    }

    private static String roundRatios(Aggregate a, Aggregate b) {
        List<Double> x = a.sliceThroughputs();
        List<Double> y = b.sliceThroughputs();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format("%.2f", x.get(i) / y.get(i)));
        }
        return sb.toString();
    }

    private static void chunkLookup(Results r) {
        JmhRow row = r.jmh.stream().filter(j -> j.benchmark().equals("ChunkLookupBench.chunkFor") && j.params().contains("chunks=1000000"))
            .findFirst().orElse(null);
        if (row == null) {
            r.goals.add(new Goal("chunk lookup at 1,000,000 chunks", "<= 1 us", "JMH not run in this run", null, null));
        } else {
            r.goals.add(new Goal("chunk lookup at 1,000,000 chunks", "<= 1 us",
                String.format("%.0f ns median iteration (best %.0f ns; JMH ChunkMap.chunkFor, random keys)", row.medianNanos(), row.minNanos()),
                row.medianNanos() <= 1000, null));
        }
    }

    private static void refresh(Results r) {
        RefreshResult f = r.refresh;
        if (f == null || f.refreshMicros().isEmpty()) {
            return;
        }
        int chunks = f.refreshMicros().keySet().stream().mapToInt(Integer::intValue).max().getAsInt();
        Histogram h = f.refreshMicros().get(chunks);
        double p50 = Histograms.millis(h, 50);
        r.goals.add(new Goal("refresh of one changed chunk (" + String.format("%,d", chunks) + " chunks)", "<= 1 ms",
            String.format("p50 %.3f ms, p99 %.3f ms (router's CatalogCache, incremental; its two config-server reads alone: p50 %.3f ms)",
                p50, Histograms.millis(h, 99), Histograms.millis(f.queryMicros().get(chunks), 50)), p50 <= 1.0,
            "judged on the median at the largest chunk count; other counts in the table"));
        if (f.paused() != null) {
            double ratio = f.paused().throughput() / f.quiet().throughput();
            double maxMs = Histograms.maxMillis(f.paused().latency());
            boolean met = f.pausedReadPendingAtEnd() && ratio >= 0.5 && maxMs < f.pausedSeconds() * 1000 / 2;
            r.goals.add(new Goal("a refresh never blocks other collections", "reads of B flow while A's refresh hangs",
                String.format("config server paused %.1f s with A's refresh in flight: B %,.0f reads/s (%.2fx of quiet), B max %.1f ms; "
                    + "A's read %s", f.pausedSeconds(), f.paused().throughput(), ratio, maxMs,
                    f.pausedReadPendingAtEnd() ? "waited for its refresh" : "did not wait (no stale routing seen)"), met,
                f.pausedReadPendingAtEnd() ? null : "inconclusive when A's read did not wait"));
        } else {
            double ratio = Histograms.millis(f.storm().latency(), 99) / Histograms.millis(f.quiet().latency(), 99);
            r.goals.add(new Goal("a refresh never blocks other collections", "reads of B flow while A refreshes",
                String.format("B p99 %.2fx of quiet during %d refreshes of A (in-JVM: no pause test)", ratio, f.stormRefreshes()), null,
                "the paused-config-server test needs separate processes"));
        }
    }

    private static void idle(Results r) {
        IdleResult i = r.idle;
        if (i == null) {
            return;
        }
        if (i.rssIdleBytes() < 0) {
            r.goals.add(new Goal(String.format("%,d idle connections: router RSS", i.requested()), "<= 300 MiB",
                "needs a router process (in-JVM run)", null, null));
        } else {
            long rss = i.rssIdleBytes(); // the goal is about idle connections; the load on top is reported alongside
            r.goals.add(new Goal(String.format("%,d idle connections: router RSS", i.requested()), "<= 300 MiB",
                String.format("%.0f MiB idle, %.0f MiB with load on top (before them: %.0f MiB; after a full GC with them open: %.0f MiB; "
                        + "heap committed %.0f MiB, used %.0f MiB); %,d opened", i.rssIdleBytes() / MIB, i.rssLoadBytes() / MIB,
                    i.rssBeforeBytes() / MIB, i.rssAfterGcBytes() / MIB, i.heapCommittedBytes() / MIB, i.heapUsedBytes() / MIB, i.opened()),
                rss <= 300 * MIB && i.opened() == i.requested(), "the router runs with " + String.join(" ", r.settings.routerJvm.isEmpty()
                    ? io.shardstore.router.RouterMain.JVM_OPTIONS : r.settings.routerJvm)
                    + (r.settings.routerJvm.isEmpty() ? ", as bin/cluster starts it" : " (--router-jvm)")));
        }
        int worst = i.backendMax().stream().mapToInt(Integer::intValue).max().orElse(-1);
        if (worst < 0) {
            r.goals.add(new Goal("backend connections per shard", "<= pool size (" + i.poolSize() + ")",
                "shards' connections.current max " + i.shardCurrentMax() + " (before " + i.shardCurrentBefore()
                    + "; in-JVM: the router's own share cannot be told apart)", null, null));
        } else {
            r.goals.add(new Goal("backend connections per shard", "<= pool size (" + i.poolSize() + ")",
                String.format("router holds at most %s per shard (from /proc) under %d clients + %,d idle; shards' connections.current max %s",
                    i.backendMax(), i.loadClients(), i.opened(), i.shardCurrentMax()), worst <= i.poolSize(), null));
        }
    }

    private static void scatter(Results r) {
        CompareResult c = r.scatter;
        if (c == null) {
            return;
        }
        Aggregate router = c.lane("router");
        String slowest = null;
        double slowestMs = -1;
        for (Map.Entry<String, Aggregate> e : c.lanes().entrySet()) {
            if (e.getKey().startsWith("shard") && Histograms.millis(e.getValue().latency(), 50) > slowestMs) {
                slowest = e.getKey();
                slowestMs = Histograms.millis(e.getValue().latency(), 50);
            }
        }
        double ratio = Histograms.millis(router.latency(), 50) / slowestMs;
        int shards = (int) c.lanes().keySet().stream().filter(k -> k.startsWith("shard")).count();
        Aggregate fan = c.lane(io.shardstore.bench.scenario.ScatterScenario.FAN_OUT);
        String fanOut = fan == null ? "" : String.format("; the same %d queries sent at once from the client and merged there: %.2f ms, "
            + "router/that %.2fx", shards, Histograms.millis(fan.latency(), 50), Histograms.millis(router.latency(), 50)
            / Histograms.millis(fan.latency(), 50));
        r.goals.add(new Goal("scatter sort+limit 100 over " + shards + " shards", "<= 1.2x the slowest shard's own latency",
            String.format("%.2fx at p50 (router %.2f ms, slowest shard alone %s %.2f ms%s)", ratio, Histograms.millis(router.latency(), 50),
                slowest, slowestMs, fanOut), ratio <= 1.2, shards < 4 ? "fewer than 4 shards in this run" : null));
    }
}
