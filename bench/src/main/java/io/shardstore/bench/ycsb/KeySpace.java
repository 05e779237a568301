package io.shardstore.bench.ycsb;

/**
 * The records of one benchmark collection: how many were loaded and the shared insert counter. Every target
 * (direct, relay, router) works on the same collection, so they share one KeySpace.
 */
public final class KeySpace {
    private final String collection;
    private final long loaded;
    private final InsertCounter inserts;

    public KeySpace(String collection, long loaded) {
        this.collection = collection;
        this.loaded = loaded;
        this.inserts = new InsertCounter(loaded);
    }

    public String collection() {
        return collection;
    }

    public long loaded() {
        return loaded;
    }

    public InsertCounter inserts() {
        return inserts;
    }

    /** A key chooser for one client thread, as YCSB's CoreWorkload builds its keychooser. */
    public KeyChooser chooser(Workload workload) {
        KeyGenerator g = switch (workload.distribution()) {
            case UNIFORM -> new UniformGenerator(0, Math.max(1, loaded));
            // YCSB sizes the zipfian range for the inserts to come; draws beyond the acknowledged ones are redrawn.
            case ZIPFIAN -> new ScrambledZipfianGenerator(0, Math.max(1, workload.inserts() ? loaded * 2 : loaded));
            case LATEST -> new SkewedLatestGenerator(inserts);
        };
        return new KeyChooser(g, inserts);
    }

    /** Draws record numbers that exist: below the lowest insert still in flight. */
    public static final class KeyChooser {
        private final KeyGenerator generator;
        private final InsertCounter inserts;

        KeyChooser(KeyGenerator generator, InsertCounter inserts) {
            this.generator = generator;
            this.inserts = inserts;
        }

        public long next() {
            long limit = inserts.lastAcknowledged();
            long n;
            do {
                n = generator.next();
            } while (n > limit || n < 0);
            return n;
        }
    }
}
