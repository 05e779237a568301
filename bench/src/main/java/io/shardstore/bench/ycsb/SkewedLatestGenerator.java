package io.shardstore.bench.ycsb;

/** YCSB's "latest" distribution: the most recently inserted records are the most popular (zipfian by age). */
public final class SkewedLatestGenerator implements KeyGenerator {
    private final InsertCounter basis;
    private final ZipfianGenerator zipfian;

    public SkewedLatestGenerator(InsertCounter basis) {
        this.basis = basis;
        this.zipfian = new ZipfianGenerator(0, Math.max(2, basis.lastAcknowledged() + 1));
    }

    @Override
    public long next() {
        long max = basis.lastAcknowledged();
        return max - zipfian.next(Math.max(2, max + 1));
    }
}
