package io.shardstore.bench.run;

import java.time.Duration;

import io.shardstore.bench.ycsb.KeySpace;
import io.shardstore.bench.ycsb.Workload;

/**
 * One measured slice: a workload on one collection through one target with a fixed number of client threads,
 * until {@code duration} passes or {@code maxOps} operations were issued (0: no operation limit).
 */
public record PhaseSpec(String scenario, Workload workload, String database, KeySpace keys, Target target, int clients,
                        Duration duration, long maxOps) {

    public String label() {
        return scenario + " " + workload.name() + " " + keys.collection() + " via " + target.name() + " x" + clients;
    }
}
