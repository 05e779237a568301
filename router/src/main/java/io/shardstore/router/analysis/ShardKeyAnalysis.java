package io.shardstore.router.analysis;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.Replies;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.topology.Routing;
import io.shardstore.sharding.KeyOrder;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * One analyzeShardKey run (blocking, on an analysis thread): reads the candidate key's values from every shard that
 * holds the collection, then computes {@link KeyCharacteristics} and, from the sampled queries,
 * {@link ReadWriteDistribution}. The collection need not be sharded, and the key need not be its shard key.
 */
public final class ShardKeyAnalysis {

    /** What was asked. {@code sampleSize} / {@code sampleRate}: how many of the documents the characteristics read. */
    public record Request(String ns, ShardKeyPattern key, boolean keyCharacteristics, boolean readWriteDistribution,
                         Double sampleRate, Long sampleSize) {
        String db() {
            return ns.substring(0, ns.indexOf('.'));
        }

        String coll() {
            return ns.substring(ns.indexOf('.') + 1);
        }
    }

    private ShardKeyAnalysis() {
    }

    public static BsonDocument run(Exec exec, QueryAnalyzers analyzers, Request request) {
        Routing routing = exec.catalog().routing(request.db(), request.coll()).join();
        List<String> shards = shardsHolding(routing);
        List<BsonDocument> indexes = indexes(exec, shards.get(0), request.db(), request.coll(), request.ns());
        BsonDocument supporting = supportingIndex(indexes, request.key());
        // As MongoDB: without an index that supports the key there are no characteristics (they are read from it);
        // the read and write distribution needs none, so it is still answered when asked for.
        if (supporting == null && !request.readWriteDistribution()) {
            throw new RouterError(ErrorCode.IllegalOperation,
                "Cannot analyze the characteristics of a shard key that does not have a supporting index");
        }
        boolean characteristics = request.keyCharacteristics() && supporting != null;
        boolean unique = supporting != null && supporting.getBoolean("unique", org.bson.BsonBoolean.FALSE).getValue()
            && supporting.getDocument("key").size() == request.key().fields().size();

        Totals totals = totals(exec, shards, request.db(), request.coll());
        long numDocs = totals.docs();
        long bytes = totals.bytes();
        if (numDocs == 0) {
            throw new RouterError(ErrorCode.IllegalOperation, "Cannot analyze the characteristics of a shard key for an empty collection");
        }
        long target = sampleTarget(request, numDocs);
        BsonDocument projection = new BsonDocument();
        request.key().fields().forEach(f -> projection.append(f, new BsonInt32(1)));
        if (!request.key().fields().contains("_id")) {
            projection.append("_id", new BsonInt32(0));
        }
        List<KeyCharacteristics.ShardKeys> perShard = new ArrayList<>();
        List<BsonDocument> keySpace = new ArrayList<>();
        for (String shard : shards) {
            List<BsonDocument> keys = new ArrayList<>();
            Stride stride = Stride.forShard(target, totals.docsPerShard().get(shard), numDocs);
            ShardScan.scan(exec.gateway(), shard, request.db(), request.coll(), projection, doc -> {
                if (stride.keep()) {
                    readKey(request.key(), doc, keys, keySpace);
                }
            });
            perShard.add(new KeyCharacteristics.ShardKeys(keys));
        }
        BsonDocument reply = new BsonDocument();
        if (characteristics) {
            BsonDocument kc = KeyCharacteristics.compute(request.key(), perShard, numDocs, bytes / numDocs, unique);
            if (routing instanceof Routing.Sharded) {
                // A migration here deletes the moved range from the donor before it ends: no orphans to count.
                kc.put("numOrphanDocs", new org.bson.BsonInt64(0));
                kc.append("note", new BsonString("Due to performance reasons, the analyzeShardKey command does not filter out "
                    + "orphan documents when calculating metrics about the characteristics of the shard key. Therefore, if "
                    + "\"numOrphanDocs\" is large relative to \"numDocsTotal\", you may want to rerun the command at some other "
                    + "time to get more accurate \"numDistinctValues\" and \"mostCommonValues\" metrics."));
            }
            reply.append("keyCharacteristics", kc);
        }
        if (request.readWriteDistribution()) {
            keySpace.sort(KeyOrder.INSTANCE);
            ReadWriteDistribution distribution = new ReadWriteDistribution(request.key(),
                ReadWriteDistribution.boundaries(keySpace, ReadWriteDistribution.NUM_RANGES));
            distribution.diffs(diffs(exec, request.ns()), !exec.catalog().anyPlain());
            analyzers.samplesOf(request.ns()).forEach(distribution::add);
            reply.append("readDistribution", distribution.readDistribution())
                .append("writeDistribution", distribution.writeDistribution());
        }
        return reply.append("ok", new org.bson.BsonDouble(1));
    }

    /**
     * The diffs of the sampled updates of {@code ns}, by sample id, from every shard's {@code config.sampledQueriesDiff}
     * (each shard keeps those of the updates it applied, as mongod does). A shard that cannot be read adds none.
     */
    static java.util.Map<BsonValue, BsonDocument> diffs(Exec exec, String ns) {
        java.util.Map<BsonValue, BsonDocument> out = new java.util.HashMap<>();
        BsonDocument filter = new BsonDocument("ns", new BsonString(ns));
        BsonDocument projection = new BsonDocument("diff", new BsonInt32(1));
        for (String shard : exec.catalog().shards().join().keySet()) {
            try {
                ShardScan.scan(exec.gateway(), shard, "config", "sampledQueriesDiff", filter, projection, d -> {
                    if (d.get("diff") instanceof BsonDocument diff) {
                        out.put(d.get("_id"), diff);
                    }
                });
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(ShardKeyAnalysis.class).warn("the sampled update diffs of {} on {} not read: {}",
                    ns, shard, e.toString());
            }
        }
        return out;
    }

    /** Keeps about {@code wanted} of {@code total} documents, spread evenly over the record order. */
    static final class Stride {
        private final long wanted;
        private final long total;
        private long seen;
        private long kept;

        Stride(long wanted, long total) {
            this.wanted = Math.min(wanted, total);
            this.total = total;
        }

        /** Every document of {@code shard}'s {@code shardDocs}, for {@code target} of the collection's {@code numDocs}. */
        static Stride forShard(long target, long shardDocs, long numDocs) {
            return new Stride(numDocs == 0 ? 0 : Math.round((double) target * shardDocs / numDocs), shardDocs);
        }

        boolean keep() {
            seen++;
            if (kept >= wanted || total == 0) {
                return false;
            }
            // keep the document when the running share of kept documents falls behind wanted / total
            if (kept * total < seen * wanted) {
                kept++;
                return true;
            }
            return false;
        }
    }

    /** MongoDB's analyzeShardKeyCharacteristicsDefaultSampleSize. */
    static final long DEFAULT_SAMPLE_SIZE = 10_000_000;

    /**
     * How many documents the characteristics read: sampleSize, or sampleRate of them, or up to 10 million; and never
     * more than {@link #heapBound()}: the router holds every read key in memory while it computes, and a large
     * collection must give a sample, not an OutOfMemoryError in the router.
     */
    private static long sampleTarget(Request request, long numDocs) {
        long asked = request.sampleRate() != null ? (long) Math.ceil(request.sampleRate() * numDocs)
            : Math.min(request.sampleSize() != null ? request.sampleSize() : DEFAULT_SAMPLE_SIZE, numDocs);
        return Math.min(asked, heapBound());
    }

    /** Documents the analysis may hold: about a kilobyte of heap each (a key read twice, its copies), a quarter of the heap. */
    static long heapBound() {
        return Math.max(10_000, Runtime.getRuntime().maxMemory() / 4 / 1024);
    }

    /** The shards holding the collection: those owning its chunks, or its database's primary shard. */
    static List<String> shardsHolding(Routing routing) {
        return routing instanceof Routing.Sharded s
            ? io.shardstore.router.engine.Scatter.sorted(s.chunks().allShards()) : List.of(routing.primary());
    }

    /** The collection's documents and bytes, in all and per shard (one collStats per shard). */
    record Totals(long docs, long bytes, java.util.Map<String, Long> docsPerShard) {
    }

    static Totals totals(Exec exec, List<String> shards, String db, String coll) {
        long docs = 0;
        long bytes = 0;
        java.util.Map<String, Long> perShard = new java.util.LinkedHashMap<>();
        for (String shard : shards) {
            BsonDocument stats = Replies.check(exec.gateway().command(shard, new BsonDocument("collStats", new BsonString(coll))
                .append("$db", new BsonString(db))).join());
            long count = number(stats.get("count"));
            perShard.put(shard, count);
            docs += count;
            bytes += number(stats.get("size"));
        }
        return new Totals(docs, bytes, perShard);
    }

    /**
     * Adds a document's key for {@code key}: its values as stored (for the characteristics) to {@code keys}, the same
     * in key space (hashed where the key hashes; for split points and targeting) to {@code keySpace}.
     */
    static void readKey(ShardKeyPattern key, BsonDocument doc, List<BsonDocument> keys, List<BsonDocument> keySpace) {
        BsonDocument values = KeyCharacteristics.keyOf(key, doc);
        keys.add(values);
        keySpace.add(key.keyOfValues(new ArrayList<>(values.values())));
    }

    /** The collection's indexes on one of its shards; NamespaceNotFound when there is no collection. */
    static List<BsonDocument> indexes(Exec exec, String shard, String db, String coll, String ns) {
        RawBsonDocument reply = exec.gateway().command(shard, new BsonDocument("listIndexes", new BsonString(coll))
            .append("$db", new BsonString(db))).join();
        if (!Replies.isOk(reply)) {
            if (reply.get("code") instanceof org.bson.BsonNumber code && code.intValue() == ErrorCode.NamespaceNotFound.code()) {
                throw new RouterError(ErrorCode.NamespaceNotFound, "Cannot analyze a shard key for a non-existing collection " + ns);
            }
            Replies.check(reply);
        }
        List<BsonDocument> out = new ArrayList<>();
        for (BsonValue v : reply.getDocument("cursor").getArray("firstBatch")) {
            out.add(v.asDocument());
        }
        return out;
    }

    /**
     * An index whose key starts with the candidate's fields in order, each of the same kind (ascending or descending
     * for a range field, hashed for a hashed one): what MongoDB requires to read a key's characteristics (and to
     * shard on it). The simplest such index first (fewest fields), unique preferred.
     */
    static BsonDocument supportingIndex(List<BsonDocument> indexes, ShardKeyPattern key) {
        BsonDocument best = null;
        for (BsonDocument index : indexes) {
            if (!(index.get("key") instanceof BsonDocument ik) || ik.size() < key.fields().size()) {
                continue;
            }
            List<String> fields = new ArrayList<>(ik.keySet());
            boolean prefix = true;
            for (int i = 0; i < key.fields().size() && prefix; i++) {
                BsonValue kind = ik.get(fields.get(i));
                boolean hashedIndex = kind.isString() && kind.asString().getValue().equals("hashed");
                prefix = fields.get(i).equals(key.fields().get(i)) && hashedIndex == key.isHashed(i)
                    && (hashedIndex || kind.isNumber());
            }
            if (!prefix || index.containsKey("partialFilterExpression") || index.containsKey("collation")
                && !"simple".equals(index.getDocument("collation").getString("locale", new BsonString("simple")).getValue())) {
                continue;
            }
            if (best == null || ik.size() < best.getDocument("key").size()
                || ik.size() == best.getDocument("key").size() && index.getBoolean("unique", org.bson.BsonBoolean.FALSE).getValue()) {
                best = index;
            }
        }
        return best;
    }

    private static long number(BsonValue v) {
        return v != null && v.isNumber() ? v.asNumber().longValue() : 0;
    }
}
