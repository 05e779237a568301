package io.shardstore.bench.run;

import java.util.Map;

/** CPU time consumed so far by each server process of the setup, by name ("router", "relay", "shard0"...). */
public interface CpuSampler {

    /** Nanoseconds of CPU (user + system) per process since it started. */
    Map<String, Long> cpuNanos();

    /**
     * Other per-process counters read around each slice, by "process.counter" name (e.g. "router.sysNanos",
     * "router.ctxsw"); empty when not measurable.
     */
    default Map<String, Long> counters() {
        return Map.of();
    }
}
