package io.shardstore.bench.run;

import java.util.Map;

import org.HdrHistogram.Histogram;

import io.shardstore.bench.ycsb.Operation;

/**
 * What one slice measured. Latencies are in microseconds; {@code cpuSeconds} holds each server process's CPU
 * during the slice, {@code clientCpuSeconds} the client threads' own.
 */
public record PhaseResult(PhaseSpec spec, long ops, long misses, long errors, String firstError, double seconds,
                          Histogram latency, Map<Operation, Histogram> perOperation, Map<String, Double> cpuSeconds,
                          double clientCpuSeconds, Map<String, Long> counters) {

    public double throughput() {
        return seconds > 0 ? ops / seconds : 0;
    }
}
