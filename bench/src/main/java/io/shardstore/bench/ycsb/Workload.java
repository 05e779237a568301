package io.shardstore.bench.ycsb;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An operation mix and request distribution, as a YCSB workload file describes one.
 *
 * @param proportions share of each operation (they sum to 1)
 * @param maxScanLength YCSB's maxscanlength: a scan reads 1..maxScanLength records (uniform)
 */
public record Workload(String name, String description, Map<Operation, Double> proportions, Distribution distribution,
                       int maxScanLength) {

    public Workload {
        double sum = proportions.values().stream().mapToDouble(Double::doubleValue).sum();
        if (Math.abs(sum - 1.0) > 1e-9) {
            throw new IllegalArgumentException(name + ": proportions sum to " + sum);
        }
        proportions = new EnumMap<>(proportions);
    }

    /** Picks the next operation by the proportions. */
    public Operation pick() {
        double r = ThreadLocalRandom.current().nextDouble();
        Operation last = null;
        for (Map.Entry<Operation, Double> e : proportions.entrySet()) {
            last = e.getKey();
            r -= e.getValue();
            if (r < 0) {
                return last;
            }
        }
        return last;
    }

    public boolean inserts() {
        return proportions.getOrDefault(Operation.INSERT, 0.0) > 0;
    }

    public double share(Operation op) {
        return proportions.getOrDefault(op, 0.0);
    }
}
