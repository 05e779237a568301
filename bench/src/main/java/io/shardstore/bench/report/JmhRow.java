package io.shardstore.bench.report;

/** One JMH result: benchmark method, its parameters, score and error (99.9%) in {@code unit}. */
public record JmhRow(String benchmark, String params, double score, double error, String unit) {

    /** The score in nanoseconds per operation (JMH average-time units). */
    public double nanos() {
        return switch (unit) {
            case "ns/op" -> score;
            case "us/op" -> score * 1e3;
            case "ms/op" -> score * 1e6;
            case "s/op" -> score * 1e9;
            default -> Double.NaN;
        };
    }
}
