package io.shardstore.bench.ycsb;

/** YCSB's {@code requestdistribution}: which records the reads, updates and scans pick. */
public enum Distribution {
    ZIPFIAN, UNIFORM, LATEST
}
