package io.shardstore.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.shardstore.bench.BenchSettings;
import io.shardstore.bench.report.CompareResult;
import io.shardstore.bench.run.Aggregate;
import io.shardstore.bench.run.Comparison;
import io.shardstore.bench.run.Lane;
import io.shardstore.bench.ycsb.Workload;

/**
 * The router over 1, 2 and 4 shards (one collection spread over each count), targeted and scatter workloads,
 * with each shard's own operation counters to show how the work spread.
 */
public final class ShardScalingScenario {

    private ShardScalingScenario() {
    }

    public static String label(int shards) {
        return shards + (shards == 1 ? " shard" : " shards");
    }

    public static void run(BenchContext ctx) {
        var s = ctx.settings;
        ctx.progress.section("Shard scaling: router over " + s.shardLayouts + " shards, " + s.shardScalingClients + " clients");
        for (Workload w : s.shardScalingWorkloads) {
            List<Lane> lanes = new ArrayList<>();
            for (int n : s.shardLayouts) {
                lanes.add(new Lane(label(n), ctx.router, BenchSettings.DATABASE, ctx.keysFor(w, n)));
            }
            Map<String, Aggregate> out = ctx.comparison.run("shards", w, lanes,
                ctx.plan(w, new Comparison.Plan(s.shardScalingClients, s.rounds > 1 ? 2 : 1, s.shardScalingSlice, s.operationCount,
                    BaselineScenario.shortWarmup(s.warmup))), ctx::shardOps);
            ctx.results.shardScaling.add(new CompareResult("shards", w, s.shardScalingClients, out));
        }
    }
}
