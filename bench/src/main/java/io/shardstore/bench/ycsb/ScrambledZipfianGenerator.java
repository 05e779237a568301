package io.shardstore.bench.ycsb;

/**
 * YCSB's "zipfian" request distribution: zipfian popularity, but the popular items are scattered over the
 * key range by hashing (otherwise the hot items would be the first records, all in one chunk). As in YCSB,
 * the zipfian draw runs over a fixed 10^10 items, whose zeta is precomputed, then is hashed into range.
 */
public final class ScrambledZipfianGenerator implements KeyGenerator {
    private static final long ITEM_COUNT = 10_000_000_000L;
    /** zeta(10^10, 0.99), YCSB's ScrambledZipfianGenerator.ZETAN. */
    private static final double ZETAN = 26.46902820178302;

    private final long min;
    private final long items;
    private final ZipfianGenerator zipfian = new ZipfianGenerator(0, ITEM_COUNT, ZipfianGenerator.ZIPFIAN_CONSTANT, ZETAN);

    public ScrambledZipfianGenerator(long min, long items) {
        this.min = min;
        this.items = items;
    }

    @Override
    public long next() {
        return min + Keys.fnv64(zipfian.next(ITEM_COUNT)) % items;
    }
}
