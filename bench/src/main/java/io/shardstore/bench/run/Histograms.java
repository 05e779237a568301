package io.shardstore.bench.run;

import org.HdrHistogram.Histogram;

/** Latency histograms in microseconds, 3 significant digits, up to a minute (a slower operation is clamped). */
public final class Histograms {
    public static final long MAX_MICROS = 60_000_000L;

    private Histograms() {
    }

    public static Histogram create() {
        return new Histogram(MAX_MICROS, 3);
    }

    /** Milliseconds at a percentile (0..100), for reports. */
    public static double millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    public static double maxMillis(Histogram h) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0;
    }

    public static double meanMillis(Histogram h) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getMean() / 1000.0;
    }
}
