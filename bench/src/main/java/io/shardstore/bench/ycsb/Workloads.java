package io.shardstore.bench.ycsb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** YCSB's core workloads A-F (same mixes and distributions as its workload files) and the sharding mixes. */
public final class Workloads {

    public static final Workload A = ycsb("A", "update heavy: 50% read, 50% update, zipfian", Distribution.ZIPFIAN,
        Map.of(Operation.READ, 0.5, Operation.UPDATE, 0.5));
    public static final Workload B = ycsb("B", "read mostly: 95% read, 5% update, zipfian", Distribution.ZIPFIAN,
        Map.of(Operation.READ, 0.95, Operation.UPDATE, 0.05));
    public static final Workload C = ycsb("C", "read only: 100% read, zipfian", Distribution.ZIPFIAN,
        Map.of(Operation.READ, 1.0));
    public static final Workload D = ycsb("D", "read latest: 95% read, 5% insert, latest", Distribution.LATEST,
        Map.of(Operation.READ, 0.95, Operation.INSERT, 0.05));
    public static final Workload E = ycsb("E", "short ranges: 95% scan (1-100), 5% insert, zipfian", Distribution.ZIPFIAN,
        Map.of(Operation.SCAN, 0.95, Operation.INSERT, 0.05));
    public static final Workload F = ycsb("F", "read-modify-write: 50% read, 50% RMW, zipfian", Distribution.ZIPFIAN,
        Map.of(Operation.READ, 0.5, Operation.READ_MODIFY_WRITE, 0.5));

    public static final Workload TARGETED_READ = mix("targeted-read", "point reads by shard key, uniform", Operation.READ);
    public static final Workload TARGETED_UPDATE = mix("targeted-update", "$set of one field by shard key, uniform", Operation.UPDATE);
    public static final Workload SCATTER_SORT = mix("scatter-sort", "find({}) sorted on a non-key field, limit 100 (every shard)",
        Operation.SCATTER_SORT);
    public static final Workload RANGE = mix("range", "bounded range on the shard key (~50 records)", Operation.RANGE);
    public static final Workload INSERT_SPREAD = mix("insert-spread", "inserts with hashed keys, spread over every chunk",
        Operation.INSERT);

    public static final List<Workload> YCSB = List.of(A, B, C, D, E, F);
    public static final List<Workload> ALL = List.of(A, B, C, D, E, F, TARGETED_READ, TARGETED_UPDATE, SCATTER_SORT, RANGE, INSERT_SPREAD);

    private Workloads() {
    }

    public static Workload byName(String name) {
        for (Workload w : ALL) {
            if (w.name().equalsIgnoreCase(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload " + name + "; known: " + ALL.stream().map(Workload::name).toList());
    }

    private static Workload ycsb(String name, String description, Distribution d, Map<Operation, Double> mix) {
        // Fixed iteration order so pick() is stable across runs.
        return new Workload(name, description, new LinkedHashMap<>(mix), d, 100);
    }

    private static Workload mix(String name, String description, Operation op) {
        return new Workload(name, description, Map.of(op, 1.0), Distribution.UNIFORM, 100);
    }
}
