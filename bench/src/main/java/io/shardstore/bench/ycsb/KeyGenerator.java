package io.shardstore.bench.ycsb;

/** Draws record numbers. Instances are per client thread (not thread-safe), so drawing never contends. */
public interface KeyGenerator {
    long next();
}
