package io.shardstore.bench.ycsb;

/**
 * Record number to {@code _id}. As YCSB does with its default "hashed" insert order, the key is the FNV-1a
 * hash of the record number, so consecutive inserts land all over the key space (and so on every chunk of a
 * range-sharded collection) instead of piling onto the last chunk. Keys are non-negative longs, which lets the
 * bench pre-split {@code [0, 2^63)} into equal chunks.
 */
public final class Keys {
    private static final long FNV_OFFSET_BASIS_64 = 0xCBF29CE484222325L;
    private static final long FNV_PRIME_64 = 1099511628211L;

    private Keys() {
    }

    /** YCSB's {@code Utils.fnvhash64}, but masked instead of {@code Math.abs} (which leaves Long.MIN_VALUE negative). */
    public static long fnv64(long value) {
        long hash = FNV_OFFSET_BASIS_64;
        long v = value;
        for (int i = 0; i < 8; i++) {
            long octet = v & 0xff;
            v >>= 8;
            hash ^= octet;
            hash *= FNV_PRIME_64;
        }
        return hash & Long.MAX_VALUE;
    }

    public static long idOf(long recordNumber) {
        return fnv64(recordNumber);
    }

    /** {@code chunks - 1} split points dividing the key space {@code [0, 2^63)} into equal ranges. */
    public static long[] splitPoints(int chunks) {
        long[] points = new long[Math.max(0, chunks - 1)];
        long width = Long.MAX_VALUE / chunks;
        for (int i = 1; i < chunks; i++) {
            points[i - 1] = width * i;
        }
        return points;
    }

    /** Width of a key range expected to hold {@code docs} of {@code records} uniformly spread keys. */
    public static long widthFor(long docs, long records) {
        return Long.MAX_VALUE / Math.max(1, records) * docs;
    }
}
