package io.shardstore.bench.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.shardstore.bench.report.CompareResult;
import io.shardstore.bench.run.Aggregate;
import io.shardstore.bench.run.Comparison;
import io.shardstore.bench.ycsb.Workload;

/**
 * The router against its baselines on the same shard, data and client count: direct to the shard, through the
 * plain TCP relay, through the router, alternating. First the sharding mixes the goals are stated for, then
 * YCSB A-F.
 */
public final class BaselineScenario {

    private BaselineScenario() {
    }

    public static void run(BenchContext ctx) {
        var s = ctx.settings;
        ctx.progress.section("Baselines: direct vs relay vs router, " + s.clients + " clients, ycsb.s1 (one shard)");
        for (Workload w : s.baselineWorkloads) {
            // Each goal workload gets the full warm-up: an update runs router code a read never reached, and its
            // compiling would otherwise be billed to the measured slices.
            Duration warmup = s.warmup;
            Map<String, Aggregate> lanes = ctx.comparison.run("baseline", w, ctx.baselineLanes(w),
                ctx.plan(w, new Comparison.Plan(s.clients, s.rounds, s.slice, s.operationCount, warmup)));
            ctx.results.baselines.add(new CompareResult("baseline", w, s.clients, lanes));
        }
        for (Workload w : s.mixWorkloads) {
            Map<String, Aggregate> lanes = ctx.comparison.run("baseline", w, ctx.baselineLanes(w),
                ctx.plan(w, new Comparison.Plan(s.clients, s.ycsbRounds, s.ycsbSlice, s.operationCount, shortWarmup(s.warmup))));
            ctx.results.baselines.add(new CompareResult("baseline", w, s.clients, lanes));
        }
    }

    public static void runYcsb(BenchContext ctx) {
        var s = ctx.settings;
        ctx.progress.section("YCSB core workloads A-F: direct vs relay vs router, " + s.ycsbClients + " clients, ycsb.s1");
        for (Workload w : s.ycsbWorkloads) {
            Map<String, Aggregate> lanes = ctx.comparison.run("ycsb", w, ctx.baselineLanes(w),
                ctx.plan(w, new Comparison.Plan(s.ycsbClients, s.ycsbRounds, s.ycsbSlice, s.operationCount, shortWarmup(s.warmup))));
            ctx.results.ycsb.add(new CompareResult("ycsb", w, s.ycsbClients, lanes));
        }
    }

    /** Code paths differ per workload (update vs scan), so each gets a brief warm-up of its own. */
    public static Duration shortWarmup(Duration full) {
        Duration third = full.dividedBy(3);
        return third.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : third;
    }

    static List<String> laneNames() {
        return List.of("direct", "relay", "router");
    }
}
