package io.shardstore.bench.ycsb;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Zipfian over {@code [base, base + items)}: item 0 most popular, with YCSB's constant 0.99. The algorithm is
 * Gray et al., "Quickly Generating Billion-Record Synthetic Databases" (SIGMOD 1994), as YCSB's
 * ZipfianGenerator implements it, including the incremental zeta update when the item count grows (the
 * "latest" distribution grows it on every insert).
 */
public final class ZipfianGenerator {
    public static final double ZIPFIAN_CONSTANT = 0.99;

    private final long base;
    private final double theta;
    private final double zeta2theta;
    private final double alpha;
    private long countForZeta;
    private double zetan;
    private double eta;

    public ZipfianGenerator(long base, long items) {
        this(base, items, ZIPFIAN_CONSTANT, zeta(0, items, ZIPFIAN_CONSTANT, 0));
    }

    /** With a precomputed {@code zetan} (the scrambled generator uses a huge item count whose zeta is a constant). */
    public ZipfianGenerator(long base, long items, double theta, double zetan) {
        this.base = base;
        this.theta = theta;
        this.zeta2theta = zeta(0, 2, theta, 0);
        this.alpha = 1.0 / (1.0 - theta);
        this.countForZeta = items;
        this.zetan = zetan;
        this.eta = eta(items);
    }

    /** A value in {@code [base, base + items)}; {@code items} may grow between calls. */
    public long next(long items) {
        if (items > countForZeta) {
            // Only ever grows here (inserts), so extend the sum instead of recomputing it.
            zetan = zeta(countForZeta, items, theta, zetan);
            countForZeta = items;
            eta = eta(items);
        }
        double u = ThreadLocalRandom.current().nextDouble();
        double uz = u * zetan;
        if (uz < 1.0) {
            return base;
        }
        if (uz < 1.0 + Math.pow(0.5, theta)) {
            return base + 1;
        }
        long v = base + (long) (items * Math.pow(eta * u - eta + 1, alpha));
        return Math.min(v, base + items - 1);
    }

    private double eta(long items) {
        return (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta2theta / zetan);
    }

    /** zeta(n) = sum over i in 1..n of 1 / i^theta, continued from {@code st} items whose sum is {@code initial}. */
    static double zeta(long st, long n, double theta, double initial) {
        double sum = initial;
        for (long i = st; i < n; i++) {
            sum += 1 / Math.pow(i + 1, theta);
        }
        return sum;
    }
}
