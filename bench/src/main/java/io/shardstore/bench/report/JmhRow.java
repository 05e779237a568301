package io.shardstore.bench.report;

/**
 * One JMH result: benchmark method, its parameters, score (mean of the measurement iterations) and error (99.9%),
 * plus the median and the best iteration, in {@code unit}. On a machine shared with other work the iterations
 * spread widely; the median is what the goals are judged on, the best is the least disturbed.
 */
public record JmhRow(String benchmark, String params, double score, double error, double median, double min, String unit) {

    /** The median iteration in nanoseconds per operation (JMH average-time units). */
    public double medianNanos() {
        return median * nanosPerUnit();
    }

    public double minNanos() {
        return min * nanosPerUnit();
    }

    private double nanosPerUnit() {
        return switch (unit) {
            case "ns/op" -> 1;
            case "us/op" -> 1e3;
            case "ms/op" -> 1e6;
            case "s/op" -> 1e9;
            default -> Double.NaN;
        };
    }
}
