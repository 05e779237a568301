package io.shardstore.bench.scenario;

import java.util.ArrayList;
import java.util.List;

import io.shardstore.bench.BenchSettings;
import io.shardstore.bench.report.CompareResult;
import io.shardstore.bench.run.Comparison;
import io.shardstore.bench.run.Lane;
import io.shardstore.bench.run.Target;
import io.shardstore.bench.ycsb.KeySpace;
import io.shardstore.bench.ycsb.Workloads;

/**
 * Scatter-gather sort + limit 100 over the widest layout through the router, against the same query sent to
 * each shard directly (which answers for its own part of the collection): the router's latency should be the
 * slowest shard's plus little. One client, so latency is the query's own, not queueing. A third baseline sends the
 * shard queries from the client, all at once, and merges there: what the router does, without the router.
 */
public final class ScatterScenario {

    public static final String FAN_OUT = "client fan-out";

    private ScatterScenario() {
    }

    public static void run(BenchContext ctx) {
        var s = ctx.settings;
        int n = s.maxShards();
        KeySpace ks = ctx.layout(n);
        ctx.progress.section("Scatter sort+limit 100 over " + n + " shards: router vs each shard's own latency, 1 client");
        List<Lane> lanes = new ArrayList<>();
        lanes.add(new Lane("router", ctx.router, BenchSettings.DATABASE, ks));
        for (int i = 0; i < n; i++) {
            lanes.add(new Lane("shard" + i, ctx.shards.get(i), BenchSettings.DATABASE, ks));
        }
        // The same shard queries at once from the client: on fewer cores than shards they slow each other down, router or not.
        lanes.add(new Lane(FAN_OUT, Target.fanOut(FAN_OUT, ctx.shards.subList(0, n).stream().map(Target::client).toList()),
            BenchSettings.DATABASE, ks));
        ctx.results.scatter = new CompareResult("scatter", Workloads.SCATTER_SORT, 1, ctx.comparison.run("scatter",
            Workloads.SCATTER_SORT, lanes, new Comparison.Plan(1, s.scatterRounds, s.scatterSlice, s.operationCount,
                BaselineScenario.shortWarmup(s.warmup))));
    }
}
