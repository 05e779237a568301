package io.shardstore.bench.ycsb;

import java.util.concurrent.ThreadLocalRandom;

/** Every record number in {@code [min, min + items)} equally likely. */
public final class UniformGenerator implements KeyGenerator {
    private final long min;
    private final long items;

    public UniformGenerator(long min, long items) {
        this.min = min;
        this.items = items;
    }

    @Override
    public long next() {
        return min + ThreadLocalRandom.current().nextLong(items);
    }
}
