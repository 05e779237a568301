package io.shardstore.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Medians and percentiles of measured latencies (nanoseconds), for tests that compare latencies within a run. */
public final class Latencies {

    private Latencies() {
    }

    public static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The {@code p} (0..1) percentile, nearest rank. */
    public static long percentile(List<Long> nanos, double p) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)));
    }
}
