package io.shardstore.bench.ycsb;

/** One client operation; YCSB's five plus the sharding mixes' scatter-gather and bounded shard-key range. */
public enum Operation {
    /** find by _id (the shard key): targeted to one shard */
    READ,
    /** $set of one field, by _id: targeted */
    UPDATE,
    /** a new record; keys are hashed so inserts spread over every chunk */
    INSERT,
    /** YCSB scan: _id >= start, sorted by _id, limit 1..maxScanLength */
    SCAN,
    /** read then update of the same record, timed as one operation (YCSB's readmodifywrite) */
    READ_MODIFY_WRITE,
    /** find({}) sorted on a non-key field, limit 100: every shard answers, the router merges */
    SCATTER_SORT,
    /** find with a bounded _id range holding about 50 records: only the chunks in range answer */
    RANGE
}
