package io.shardstore.router.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.topology.Routing;
import io.shardstore.sharding.KeyOrder;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * {@code shardKeyAdvisor}: ranks candidate shard keys for a collection ({@link CandidateKeys}, or the caller's) by
 * what they would do with the collection's data and its sampled workload, and says why in plain words. Per
 * candidate, from one read of the collection:
 * <ul>
 * <li><b>targeting</b>: how much of the key's range the sampled operations would reach on average
 * ({@link ReadWriteDistribution}'s per-range counts): one value is one chunk, a narrow range a few, a query without
 * the key all of them;</li>
 * <li><b>balance</b> at N shards: the key's values cut into chunks (4 per shard, at the data's quantiles, never
 * between equal values) and the chunks dealt to shards largest first to the emptiest: the fullest shard's share
 * against 1/N. Few distinct values, or one very common value, make chunks that cannot be split;</li>
 * <li><b>inserts</b>: a monotonic key (correlation with insert order >= 0.7) sends every new document to the last
 * chunk: one shard takes all inserts;</li>
 * <li><b>cardinality</b>: how close the key comes to one document per value (log scale): a value's documents
 * can never be split between chunks;</li>
 * <li><b>rules</b>: every unique index must start with the key (else the key is refused, as shardCollection refuses
 * it); documents missing a key field all share one null key.</li>
 * </ul>
 * Score, 0-100: 45 x (1 - average reach) + 25 x balance (1/N over the fullest share) + 15 x insert spread (0 when
 * monotonic) + 15 x cardinality, 0 when a rule forbids the key. Without sampled queries the targeting part is 0 for every key, and the answer says
 * so.
 */
public final class ShardKeyAdvisor {
    private static final int CHUNKS_PER_SHARD = 4;

    private ShardKeyAdvisor() {
    }

    public static BsonDocument run(Exec exec, QueryAnalyzers analyzers, String ns, int shardsWanted, List<BsonDocument> given) {
        String db = ns.substring(0, ns.indexOf('.'));
        String coll = ns.substring(ns.indexOf('.') + 1);
        Routing routing = exec.catalog().routing(db, coll).join();
        List<String> shards = ShardKeyAnalysis.shardsHolding(routing);
        List<BsonDocument> indexes = ShardKeyAnalysis.indexes(exec, shards.get(0), db, coll, ns);
        ShardKeyAnalysis.Totals totals = ShardKeyAnalysis.totals(exec, shards, db, coll);
        if (totals.docs() == 0) {
            throw new RouterError(ErrorCode.IllegalOperation, "Cannot advise on a shard key for an empty collection " + ns);
        }
        int n = shardsWanted > 0 ? shardsWanted : Math.max(2, exec.catalog().shards().join().size());
        List<BsonDocument> samples = analyzers.samplesOf(ns);
        java.util.Map<org.bson.BsonValue, BsonDocument> diffs = ShardKeyAnalysis.diffs(exec, ns);
        BsonDocument current = routing instanceof Routing.Sharded s ? s.chunks().keyPattern().pattern() : null;
        List<BsonDocument> candidates = given != null && !given.isEmpty() ? given : CandidateKeys.from(samples, current);

        // One read of the collection: every candidate's fields, in each shard's record order.
        BsonDocument projection = new BsonDocument();
        for (BsonDocument c : candidates) {
            c.keySet().forEach(f -> projection.put(f, new BsonInt32(1)));
        }
        // A sample when the collection is larger than the router may hold (ShardKeyAnalysis.heapBound).
        long target = Math.min(totals.docs(), ShardKeyAnalysis.heapBound() / Math.max(1, candidates.size() / 4 + 1));
        List<List<BsonDocument>> perShard = new ArrayList<>();
        for (String shard : shards) {
            List<BsonDocument> docs = new ArrayList<>();
            ShardKeyAnalysis.Stride stride = ShardKeyAnalysis.Stride.forShard(target, totals.docsPerShard().get(shard), totals.docs());
            ShardScan.scan(exec.gateway(), shard, db, coll, projection, d -> {
                if (stride.keep()) {
                    docs.add(d);
                }
            });
            perShard.add(docs);
        }
        List<BsonDocument> uniqueIndexes = indexes.stream()
            .filter(i -> i.getBoolean("unique", BsonBoolean.FALSE).getValue() && !"_id_".equals(i.getString("name", new BsonString("")).getValue()))
            .map(i -> i.getDocument("key")).toList();

        List<BsonDocument> ranked = new ArrayList<>();
        for (BsonDocument candidate : candidates) {
            ranked.add(score(new ShardKeyPattern(candidate), perShard, totals, n, samples, diffs, exec.catalog().anyPlain(), uniqueIndexes));
        }
        ranked.sort(Comparator.comparingDouble((BsonDocument d) -> d.getDouble("score").getValue()).reversed());
        BsonDocument best = ranked.get(0);
        BsonDocument reply = new BsonDocument("ns", new BsonString(ns)).append("shards", new BsonInt32(n))
            .append("numDocs", new BsonInt64(totals.docs())).append("sampledQueries", new BsonInt64(samples.size()))
            .append("candidates", new BsonArray(ranked))
            .append("recommendation", new BsonDocument("key", best.get("key")).append("why", new BsonString(why(best, ranked))));
        if (samples.isEmpty()) {
            reply.append("note", new BsonString("No sampled queries for " + ns + ": targeting could not be measured. Run "
                + "db.getSiblingDB('" + db + "')." + coll + ".configureQueryAnalyzer({mode: 'full', samplesPerSecond: 50}) "
                + "while the application runs, then ask again."));
        }
        return reply.append("ok", new BsonDouble(1));
    }

    private static BsonDocument score(ShardKeyPattern key, List<List<BsonDocument>> perShard, ShardKeyAnalysis.Totals totals, int n,
                                      List<BsonDocument> samples, java.util.Map<org.bson.BsonValue, BsonDocument> diffs,
                                      boolean anyPlain, List<BsonDocument> uniqueIndexes) {
        List<KeyCharacteristics.ShardKeys> keys = new ArrayList<>();
        List<BsonDocument> keySpace = new ArrayList<>();
        long missing = 0;
        for (List<BsonDocument> docs : perShard) {
            List<BsonDocument> shardKeys = new ArrayList<>(docs.size());
            for (BsonDocument doc : docs) {
                if (key.firstMissingField(doc) != null) {
                    missing++;
                }
                ShardKeyAnalysis.readKey(key, doc, shardKeys, keySpace);
            }
            keys.add(new KeyCharacteristics.ShardKeys(shardKeys));
        }
        BsonDocument kc = KeyCharacteristics.compute(key, keys, totals.docs(), totals.bytes() / totals.docs(), false);
        keySpace.sort(KeyOrder.INSTANCE);
        ReadWriteDistribution distribution = new ReadWriteDistribution(key, ReadWriteDistribution.boundaries(keySpace,
            ReadWriteDistribution.NUM_RANGES));
        distribution.diffs(diffs, !anyPlain);
        samples.forEach(distribution::add);
        BsonDocument reads = distribution.readDistribution();
        BsonDocument writes = distribution.writeDistribution();
        long readCount = reads.getDocument("sampleSize").getNumber("total").longValue();
        long writeCount = writes.getDocument("sampleSize").getNumber("total").longValue();
        double targeted = readCount + writeCount == 0 ? 0
            : (share(reads, "percentageOfSingleShardReads") * readCount + share(writes, "percentageOfSingleShardWrites") * writeCount)
                / (readCount + writeCount);
        double scatter = readCount + writeCount == 0 ? 0
            : (share(reads, "percentageOfScatterGatherReads") * readCount + share(writes, "percentageOfScatterGatherWrites") * writeCount)
                / (readCount + writeCount);
        double reach = readCount + writeCount == 0 ? 1 : (touched(reads, "numReadsByRange") + touched(writes, "numWritesByRange"))
            / (readCount + writeCount);
        double fullest = fullestShardShare(keySpace, n);
        double balance = (1.0 / n) / fullest;
        BsonDocument monotonicity = kc.getDocument("monotonicity");
        boolean monotonic = "monotonic".equals(monotonicity.getString("type").getValue());
        BsonDocument blockingIndex = null;
        for (BsonDocument unique : uniqueIndexes) {
            if (!prefixOf(key, unique)) {
                blockingIndex = unique;
                break;
            }
        }
        long distinct = kc.getNumber("numDistinctValues").longValue();
        long read = keySpace.size(); // the documents read: all of them, or the sample
        double cardinality = cardinality(distinct, read);
        double score = blockingIndex != null ? 0 : 45 * (1 - reach) + 25 * balance + 15 * (monotonic ? 0 : 1) + 15 * cardinality;
        List<String> reasons = new ArrayList<>();
        if (blockingIndex != null) {
            reasons.add("cannot be the shard key: the unique index " + blockingIndex.toJson() + " does not start with it, and "
                + "a sharded collection can only keep unique indexes that do");
        }
        if (readCount + writeCount > 0) {
            reasons.add(String.format(Locale.ROOT, "the %d sampled operations would reach %.0f%% of the key's range on average "
                + "(%.0f%% pin one key value, %.0f%% cannot use the key and go to every shard)", readCount + writeCount, 100 * reach,
                100 * targeted, 100 * scatter));
        }
        reasons.add(String.format(Locale.ROOT, "at %d shards the fullest would hold %.0f%% of the documents (even: %.0f%%)%s", n,
            100 * fullest, 100.0 / n, distinct < (long) n * CHUNKS_PER_SHARD ? ": only " + distinct + " distinct values" : ""));
        if (cardinality < 0.8) {
            reasons.add(String.format(Locale.ROOT, "%,d distinct values for %,d documents: at most %,d chunks, and a value's "
                + "documents can never be split between chunks (a jumbo chunk once they outgrow one)", distinct, read, distinct));
        }
        if (monotonic) {
            reasons.add("grows with insert order (correlation " + String.format(Locale.ROOT, "%.2f",
                monotonicity.getDouble("recordIdCorrelationCoefficient").getValue()) + "): every insert would go to the last chunk, on one shard");
        }
        if (missing > 0) {
            reasons.add(String.format(Locale.ROOT, "%.0f%% of the documents lack a key field and would share one null key",
                100.0 * missing / Math.max(1, read)));
        }
        BsonDocument figures = new BsonDocument("targetedShare", new BsonDouble(round(targeted)))
            .append("scatterShare", new BsonDouble(round(scatter)))
            .append("averageReach", new BsonDouble(round(reach)))
            .append("fullestShardShare", new BsonDouble(round(fullest)))
            .append("numDistinctValues", new BsonInt64(distinct))
            .append("cardinality", new BsonDouble(round(cardinality)))
            .append("monotonicity", monotonicity)
            .append("mostCommonValues", kc.get("mostCommonValues"))
            .append("readDistribution", reads).append("writeDistribution", writes);
        return new BsonDocument("key", key.pattern()).append("score", new BsonDouble(Math.round(score * 10) / 10.0))
            .append("figures", figures).append("reasons", new BsonArray(reasons.stream().map(r -> (BsonValue) new BsonString(r)).toList()));
    }

    /**
     * How close the key comes to one document per value, on a log scale (1: unique; 40 values for 4,000 documents:
     * 0.44): how finely chunks can still be split as the collection grows.
     */
    static double cardinality(long distinct, long docs) {
        if (docs <= 1) {
            return 1;
        }
        return Math.min(1, Math.log(Math.max(1, distinct)) / Math.log(docs));
    }

    /** The fullest shard's share of documents when the key space is cut into chunks and dealt largest first. */
    static double fullestShardShare(List<BsonDocument> sortedKeys, int shards) {
        if (sortedKeys.isEmpty()) {
            return 1;
        }
        List<BsonDocument> bounds = ReadWriteDistribution.boundaries(sortedKeys, shards * CHUNKS_PER_SHARD);
        List<Long> chunkSizes = new ArrayList<>();
        int b = 0;
        long size = 0;
        for (BsonDocument k : sortedKeys) {
            while (b < bounds.size() && KeyOrder.INSTANCE.compare(k, bounds.get(b)) >= 0) {
                chunkSizes.add(size);
                size = 0;
                b++;
            }
            size++;
        }
        chunkSizes.add(size);
        chunkSizes.sort(Comparator.reverseOrder());
        long[] load = new long[shards];
        for (long chunk : chunkSizes) {
            int emptiest = 0;
            for (int i = 1; i < shards; i++) {
                if (load[i] < load[emptiest]) {
                    emptiest = i;
                }
            }
            load[emptiest] += chunk;
        }
        long max = 0;
        for (long l : load) {
            max = Math.max(max, l);
        }
        return (double) max / sortedKeys.size();
    }

    /** Whether the unique index starts with the key's fields (field names: a hashed key keeps a value's documents together). */
    private static boolean prefixOf(ShardKeyPattern key, BsonDocument index) {
        List<String> fields = new ArrayList<>(index.keySet());
        if (fields.size() < key.fields().size()) {
            return false;
        }
        return fields.subList(0, key.fields().size()).equals(key.fields());
    }

    private static String why(BsonDocument best, List<BsonDocument> ranked) {
        StringBuilder out = new StringBuilder(best.getDocument("key").toJson() + " scores " + best.getDouble("score").getValue()
            + ": " + String.join("; ", best.getArray("reasons").stream().map(v -> v.asString().getValue()).toList()) + ".");
        if (ranked.size() > 1) {
            BsonDocument second = ranked.get(1);
            out.append(" Next: ").append(second.getDocument("key").toJson()).append(" (").append(second.getDouble("score").getValue())
                .append("): ").append(second.getArray("reasons").get(0).asString().getValue()).append('.');
        }
        return out.toString();
    }

    /** The share of the ranges the sampled operations reached, summed over them (a scatter-gather one reaches all). */
    private static double touched(BsonDocument distribution, String field) {
        if (!(distribution.get(field) instanceof BsonArray byRange) || byRange.isEmpty()) {
            return 0;
        }
        double sum = 0;
        for (BsonValue v : byRange) {
            sum += v.asNumber().doubleValue();
        }
        return sum / byRange.size();
    }

    private static double share(BsonDocument distribution, String field) {
        return distribution.get(field) instanceof org.bson.BsonNumber v ? v.doubleValue() / 100 : 0;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
