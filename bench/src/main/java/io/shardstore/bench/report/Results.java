package io.shardstore.bench.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.shardstore.bench.BenchSettings;
import io.shardstore.bench.run.Aggregate;

/** Everything one run measured, filled in scenario by scenario, then written as report.md, results.json and plots. */
public final class Results {
    public final BenchSettings settings;
    public final MachineInfo machine;
    public final Instant started = Instant.now();
    public Instant finished;
    public String loadAverageEnd = "";
    public String commandLine = "";
    public String cluster = "";
    public String relayKind = "";
    public long loadedRecords;
    public double loadSeconds;
    public final List<CompareResult> baselines = new ArrayList<>();
    public final List<CompareResult> ycsb = new ArrayList<>();
    /** clients -> lane ("direct", "relay", "router") -> result, targeted reads */
    public final Map<Integer, Map<String, Aggregate>> clientScaling = new TreeMap<>();
    /** per workload, lanes "1 shard", "2 shards"... through the router, with per-shard operation counts */
    public final List<CompareResult> shardScaling = new ArrayList<>();
    /** router on the widest layout against each shard directly, same query, one client */
    public CompareResult scatter;
    public RefreshResult refresh;
    public IdleResult idle;
    /** The flood scenario's section, Markdown (null when it did not run). */
    public String flood;
    /** The query sampling scenario's section, Markdown (null when it did not run). */
    public String sampling;
    public final List<ProfileResult> profiles = new ArrayList<>();
    public final List<JmhRow> jmh = new ArrayList<>();
    public String jmhNote;
    public final List<Goal> goals = new ArrayList<>();
    public final List<String> notes = new ArrayList<>();

    public Results(BenchSettings settings, MachineInfo machine) {
        this.settings = settings;
        this.machine = machine;
    }

    public CompareResult baseline(String workload) {
        for (CompareResult c : baselines) {
            if (c.workload().name().equals(workload)) {
                return c;
            }
        }
        return null;
    }
}
