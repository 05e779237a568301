package io.shardstore.bench.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.shardstore.bench.ycsb.Workload;

/**
 * Side-by-side measurement on a noisy, shared 2-core machine: the lanes take turns in short slices, round
 * after round, and each round starts with a different lane, so drift (other work on the machine, JIT, GC,
 * data growth) spreads over all of them instead of favouring whichever ran first.
 */
public final class Comparison {
    private final PhaseRunner runner;
    private final Progress progress;

    public Comparison(PhaseRunner runner, Progress progress) {
        this.runner = runner;
        this.progress = progress;
    }

    /**
     * How long and how often. {@code warmup} runs once per lane, unrecorded (JIT, connection pools); zero for none.
     * {@code afterSlice}, when set, runs after every slice (warm-ups included), e.g. to delete what the slice inserted.
     */
    public record Plan(int clients, int rounds, Duration slice, long maxOps, Duration warmup, java.util.function.Consumer<Lane> afterSlice) {
        public Plan(int clients, int rounds, Duration slice, long maxOps, Duration warmup) {
            this(clients, rounds, slice, maxOps, warmup, null);
        }

        public Plan withAfterSlice(java.util.function.Consumer<Lane> hook) {
            return new Plan(clients, rounds, slice, maxOps, warmup, hook);
        }

        public Plan withMaxOps(long ops) {
            return new Plan(clients, rounds, slice, ops, warmup, afterSlice);
        }
    }

    public Map<String, Aggregate> run(String scenario, Workload workload, List<Lane> lanes, Plan plan) {
        return run(scenario, workload, lanes, plan, null);
    }

    /**
     * @param shardOps when not null, per-shard operation totals (serverStatus opcounters) read before and after
     *                 each slice, so the report can show which shards did the work
     * @return per lane label, the pooled result of its slices
     */
    public Map<String, Aggregate> run(String scenario, Workload workload, List<Lane> lanes, Plan plan, Supplier<long[]> shardOps) {
        Map<String, Aggregate> out = new LinkedHashMap<>();
        lanes.forEach(l -> out.put(l.label(), new Aggregate(l.label(), l.target().process())));
        if (!plan.warmup().isZero()) {
            for (Lane l : lanes) {
                runner.run(spec(scenario + " (warm-up)", workload, l, plan.clients(), plan.warmup(), plan.maxOps()));
                after(plan, l);
            }
        }
        for (int r = 0; r < plan.rounds(); r++) {
            for (Lane l : rotate(lanes, r)) {
                long[] before = shardOps != null ? shardOps.get() : null;
                PhaseResult res = runner.run(spec(scenario, workload, l, plan.clients(), plan.slice(), plan.maxOps()));
                Aggregate agg = out.get(l.label());
                agg.add(res);
                if (shardOps != null) {
                    long[] after = shardOps.get(); // before the clean-up, whose deletes are not the workload's
                    long[] delta = new long[after.length];
                    for (int i = 0; i < after.length; i++) {
                        delta[i] = after[i] - before[i];
                    }
                    agg.addShardOps(delta);
                }
                after(plan, l);
                progress.note(String.format("%-16s %-22s x%-3d round %d/%d %,10.0f ops/s  p50 %7.3f ms  p99 %7.3f ms%s",
                    workload.name(), l.label(), plan.clients(), r + 1, plan.rounds(), res.throughput(),
                    Histograms.millis(res.latency(), 50), Histograms.millis(res.latency(), 99),
                    res.errors() > 0 ? "  errors " + res.errors() + " (" + res.firstError() + ")" : ""));
            }
        }
        return out;
    }

    private void after(Plan plan, Lane lane) {
        if (plan.afterSlice() != null) {
            progress.update("cleaning up after " + lane.label());
            plan.afterSlice().accept(lane);
        }
    }

    private static PhaseSpec spec(String scenario, Workload w, Lane l, int clients, Duration d, long maxOps) {
        return new PhaseSpec(scenario, w, l.database(), l.keys(), l.target(), clients, d, maxOps);
    }

    static <T> List<T> rotate(List<T> list, int by) {
        List<T> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(list.get((i + by) % list.size()));
        }
        return out;
    }
}
