package io.shardstore.bench.report;

/**
 * A performance goal of issue #5 with what this run measured. {@code met} is null when the run could not
 * measure it (e.g. per-process CPU in the in-JVM quick mode).
 */
public record Goal(String name, String target, String measured, Boolean met, String note) {

    public String verdict() {
        return met == null ? "not measured" : met ? "met" : "MISSED";
    }
}
