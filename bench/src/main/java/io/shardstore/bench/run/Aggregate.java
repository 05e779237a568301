package io.shardstore.bench.run;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

import io.shardstore.bench.ycsb.Operation;

/**
 * The slices of one target in an alternating comparison, pooled: operations and time add up, histograms
 * merge, CPU adds up. Per-slice throughputs are kept to show the spread between rounds.
 */
public final class Aggregate {
    private final String target;
    private final String process;
    private long ops;
    private long misses;
    private long errors;
    private String firstError;
    private double seconds;
    private double clientCpu;
    private final Histogram latency = Histograms.create();
    private final Map<Operation, Histogram> perOperation = new EnumMap<>(Operation.class);
    private final Map<String, Double> cpu = new LinkedHashMap<>();
    private final Map<String, Long> counters = new LinkedHashMap<>();
    private final List<Double> sliceThroughputs = new ArrayList<>();
    private long[] shardOps;

    public Aggregate(String target, String process) {
        this.target = target;
        this.process = process;
    }

    public synchronized void add(PhaseResult r) {
        ops += r.ops();
        misses += r.misses();
        errors += r.errors();
        if (firstError == null) {
            firstError = r.firstError();
        }
        seconds += r.seconds();
        clientCpu += r.clientCpuSeconds();
        latency.add(r.latency());
        r.perOperation().forEach((op, h) -> perOperation.computeIfAbsent(op, o -> Histograms.create()).add(h));
        r.cpuSeconds().forEach((p, s) -> cpu.merge(p, s, Double::sum));
        r.counters().forEach((k, v) -> counters.merge(k, v, Long::sum));
        sliceThroughputs.add(r.throughput());
    }

    public String target() {
        return target;
    }

    /** The server process whose CPU is this path's own cost, or null. */
    public String process() {
        return process;
    }

    public long ops() {
        return ops;
    }

    public long misses() {
        return misses;
    }

    public long errors() {
        return errors;
    }

    public String firstError() {
        return firstError;
    }

    public double seconds() {
        return seconds;
    }

    public double throughput() {
        return seconds > 0 ? ops / seconds : 0;
    }

    public Histogram latency() {
        return latency;
    }

    public Map<Operation, Histogram> perOperation() {
        return perOperation;
    }

    public Map<String, Double> cpuSeconds() {
        return cpu;
    }

    public double clientCpuSeconds() {
        return clientCpu;
    }

    /** A per-process counter per operation ("router.ctxsw": context switches per op), or NaN when not measured. */
    public double counterPerOp(String name) {
        Long v = counters.get(name);
        return v == null || ops == 0 ? Double.NaN : (double) v / ops;
    }

    public Map<String, Long> counters() {
        return counters;
    }

    /** CPU microseconds of process {@code name} per operation, or NaN when that process was not measured. */
    public double cpuMicrosPerOp(String name) {
        Double s = name == null ? null : cpu.get(name);
        return s == null || ops == 0 ? Double.NaN : s * 1e6 / ops;
    }

    public synchronized void addShardOps(long[] delta) {
        if (shardOps == null) {
            shardOps = new long[delta.length];
        }
        for (int i = 0; i < delta.length; i++) {
            shardOps[i] += delta[i];
        }
    }

    /** Operations each shard counted (serverStatus opcounters) during this lane's slices, or null if not sampled. */
    public long[] shardOps() {
        return shardOps;
    }

    public List<Double> sliceThroughputs() {
        return sliceThroughputs;
    }
}
