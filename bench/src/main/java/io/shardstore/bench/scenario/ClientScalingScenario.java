package io.shardstore.bench.scenario;

import java.util.Map;

import io.shardstore.bench.run.Aggregate;
import io.shardstore.bench.run.Comparison;
import io.shardstore.bench.ycsb.Workloads;

/** Targeted reads from 1 to 256 client threads, direct / relay / router side by side at each count. */
public final class ClientScalingScenario {

    private ClientScalingScenario() {
    }

    public static void run(BenchContext ctx) {
        var s = ctx.settings;
        ctx.progress.section("Client scaling: targeted reads, " + s.clientCounts + " clients, direct / relay / router");
        for (int clients : s.clientCounts) {
            // The warm-up grows each driver pool to this client count before anything is recorded.
            Map<String, Aggregate> lanes = ctx.comparison.run("clients", Workloads.TARGETED_READ, ctx.baselineLanes(Workloads.TARGETED_READ),
                new Comparison.Plan(clients, 1, s.scalingSlice, s.operationCount, BaselineScenario.shortWarmup(s.warmup)));
            ctx.results.clientScaling.put(clients, lanes);
        }
    }
}
