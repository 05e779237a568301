package io.shardstore.bench.run;

import io.shardstore.bench.ycsb.KeySpace;

/**
 * One contender in a side-by-side comparison: a label for the report, the target it sends to and the
 * collection it works on ("router" on ycsb.s1 against "direct" on ycsb.s1; or the router on s1, s2 and s4).
 */
public record Lane(String label, Target target, String database, KeySpace keys) {
}
