package io.shardstore.bench.report;

import java.util.Map;

import io.shardstore.bench.run.Aggregate;
import io.shardstore.bench.ycsb.Workload;

/** One side-by-side comparison: a workload at a client count, pooled per lane ("direct", "relay", "router"...). */
public record CompareResult(String scenario, Workload workload, int clients, Map<String, Aggregate> lanes) {

    public Aggregate lane(String label) {
        return lanes.get(label);
    }
}
