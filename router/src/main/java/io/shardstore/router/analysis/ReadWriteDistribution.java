package io.shardstore.router.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

import io.shardstore.router.planner.Targeting;
import io.shardstore.sharding.Chunk;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.ChunkVersion;
import io.shardstore.sharding.KeyOrder;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * analyzeShardKey's {@code readDistribution} and {@code writeDistribution}: the sampled queries of a collection
 * (config.sampledQueries) replayed against the candidate key. The key's value space is cut into ranges at the
 * quantiles of the collection's own key values (MongoDB's analyzeShardKeyNumRanges, 100; fewer when the collection
 * has fewer distinct values, where MongoDB refuses), each range standing for a chunk on a shard of its own. A query is
 * single-shard when it pins one key value, scatter-gather when it cannot use the key, multi-shard in between; which
 * ranges it reaches is the router's own targeting ({@link Targeting}), so {@code numReadsByRange} shows where this
 * router would send the sampled workload.
 */
public final class ReadWriteDistribution {
    /** MongoDB's analyzeShardKeyNumRanges default. */
    public static final int NUM_RANGES = 100;

    private final ShardKeyPattern pattern;
    private final ChunkMap ranges;
    private final int rangeCount;
    private Map<BsonValue, BsonDocument> diffs = Map.of();
    private boolean diffsComplete;

    private long find;
    private long aggregate;
    private long count;
    private long distinct;
    private long readSingle;
    private long readMulti;
    private long readScatter;
    private final long[] readsByRange;

    private long update;
    private long delete;
    private long findAndModify;
    private long writeSingle;
    private long writeMulti;
    private long writeScatter;
    private long shardKeyUpdates;
    private long singleWithoutKey;
    private long multiWithoutKey;
    private final long[] writesByRange;

    /**
     * @param pattern   the candidate key
     * @param boundaries the split points in key space (hashed values for a hashed field), ascending, without the
     *                  global min and max
     */
    public ReadWriteDistribution(ShardKeyPattern pattern, List<BsonDocument> boundaries) {
        this.pattern = pattern;
        List<Chunk> chunks = new ArrayList<>();
        ObjectId epoch = new ObjectId();
        BsonTimestamp ts = new BsonTimestamp(1, 0);
        BsonDocument min = pattern.globalMin();
        int i = 0;
        for (BsonDocument b : boundaries) {
            chunks.add(new Chunk(min, b, "range" + i, new ChunkVersion(1, i, epoch, ts)));
            min = b;
            i++;
        }
        chunks.add(new Chunk(min, pattern.globalMax(), "range" + i, new ChunkVersion(1, i, epoch, ts)));
        this.ranges = new ChunkMap(pattern, chunks);
        this.rangeCount = chunks.size();
        this.readsByRange = new long[rangeCount];
        this.writesByRange = new long[rangeCount];
    }

    /**
     * The split points: the key values (in key space, sorted ascending) cut into at most {@code numRanges} ranges of
     * about equal numbers of documents; equal values never straddle a boundary.
     */
    public static List<BsonDocument> boundaries(List<BsonDocument> sortedKeys, int numRanges) {
        List<BsonDocument> out = new ArrayList<>();
        int n = sortedKeys.size();
        if (n == 0) {
            return out;
        }
        for (int r = 1; r < numRanges; r++) {
            BsonDocument candidate = sortedKeys.get((int) ((long) r * n / numRanges));
            if (KeyOrder.INSTANCE.compare(candidate, sortedKeys.get(0)) <= 0) {
                continue; // the first range would be empty
            }
            if (out.isEmpty() || KeyOrder.INSTANCE.compare(out.get(out.size() - 1), candidate) < 0) {
                out.add(candidate);
            }
        }
        return out;
    }

    /**
     * The shards' {@code config.sampledQueriesDiff} entries by sample id: what each sampled single-document update really
     * changed. Such an update changes the key when its diff touches a key field, and, as in MongoDB, not when it has no
     * diff (it changed nothing). {@code complete} false (some shard is a real mongod, to which the router sends no
     * sample ids): an update without a diff is judged by its text. So is a multi update, which has no one diff.
     */
    public void diffs(Map<BsonValue, BsonDocument> bySampleId, boolean complete) {
        this.diffs = bySampleId;
        this.diffsComplete = complete;
    }

    private boolean changesKey(BsonDocument diff, boolean multi, BsonValue update) {
        if (diff != null) {
            return diffTouchesKey(diff, "");
        }
        return (multi || !diffsComplete) && changesKey(update);
    }

    /** Counts one sampled query (a config.sampledQueries document). Unknown command names are skipped. */
    public void add(BsonDocument sample) {
        BsonDocument diff = diffs.get(sample.get("_id"));
        String cmdName = sample.getString("cmdName", new org.bson.BsonString("")).getValue();
        BsonDocument cmd = sample.get("cmd") instanceof BsonDocument d ? d : new BsonDocument();
        switch (cmdName) {
            case "find" -> {
                find++;
                read(filter(cmd, "filter"));
            }
            case "aggregate" -> {
                aggregate++;
                read(filter(cmd, "filter"));
            }
            case "count" -> {
                count++;
                read(filter(cmd, "filter"));
            }
            case "distinct" -> {
                distinct++;
                read(filter(cmd, "filter"));
            }
            case "update" -> {
                for (BsonValue u : array(cmd, "updates")) {
                    if (u instanceof BsonDocument stmt) {
                        update++;
                        boolean multi = stmt.getBoolean("multi", org.bson.BsonBoolean.FALSE).getValue();
                        write(filter(stmt, "q"), multi, changesKey(diff, multi, stmt.get("u")));
                    }
                }
            }
            case "delete" -> {
                for (BsonValue d : array(cmd, "deletes")) {
                    if (d instanceof BsonDocument stmt) {
                        delete++;
                        boolean multi = stmt.get("limit") instanceof org.bson.BsonNumber limit && limit.intValue() == 0;
                        write(filter(stmt, "q"), multi, false);
                    }
                }
            }
            case "findAndModify" -> {
                findAndModify++;
                // always a single write
                write(filter(cmd, "query"), false, changesKey(diff, false, cmd.get("update")));
            }
            default -> {
            }
        }
    }

    private enum Kind { SINGLE, MULTI, SCATTER }

    /**
     * MongoDB's classes: single-shard when the filter pins one value of every key field; scatter-gather when it does
     * not narrow the key space at all (no key field, or a range on a hashed key); multi-shard otherwise (several
     * pinned values, a range), however few ranges that turns out to touch. Every range a query targets counts it.
     */
    private Kind classify(BsonDocument filter, long[] byRange) {
        Targeting.Target target = Targeting.shardsFor(ranges, filter);
        Set<String> shards = target.byKey() ? target.shards() : ranges.allShards();
        for (String s : shards) {
            byRange[Integer.parseInt(s.substring("range".length()))]++;
        }
        if (!target.byKey()) {
            return Kind.SCATTER;
        }
        List<BsonDocument> keys = Targeting.exactKeys(pattern, filter);
        return keys != null && keys.size() == 1 ? Kind.SINGLE : Kind.MULTI;
    }

    private void read(BsonDocument filter) {
        switch (classify(filter, readsByRange)) {
            case SINGLE -> readSingle++;
            case MULTI -> readMulti++;
            case SCATTER -> readScatter++;
        }
    }

    private void write(BsonDocument filter, boolean multi, boolean changesKey) {
        Kind kind = classify(filter, writesByRange);
        switch (kind) {
            case SINGLE -> writeSingle++;
            case MULTI -> writeMulti++;
            case SCATTER -> writeScatter++;
        }
        if (changesKey) {
            shardKeyUpdates++;
        }
        // "Without shard key": the filter does not pin one key value (MongoDB's updateOne / deleteOne /
        // findAndModify without the full key, which a sharded cluster has to run as a two-phase write).
        boolean pinsKey = Targeting.exactKeys(pattern, filter) != null;
        if (!pinsKey) {
            if (multi) {
                multiWithoutKey++;
            } else {
                singleWithoutKey++;
            }
        }
    }

    /**
     * Whether a document diff (the oplog's v2 format: {@code d}, {@code u}, {@code i} sections of fields, {@code s<field>}
     * a sub-document's diff) changes a field at, inside or holding a key field; {@code prefix} is the path so far.
     */
    private boolean diffTouchesKey(BsonDocument diff, String prefix) {
        for (Map.Entry<String, BsonValue> section : diff.entrySet()) {
            String name = section.getKey();
            if (!(section.getValue() instanceof BsonDocument fields)) {
                continue;
            }
            if (name.equals("d") || name.equals("u") || name.equals("i")) {
                for (String field : fields.keySet()) {
                    if (pattern.touches(prefix + field)) {
                        return true;
                    }
                }
            } else if (name.startsWith("s") && name.length() > 1 && diffTouchesKey(fields, prefix + name.substring(1) + ".")) {
                return true;
            }
        }
        return false;
    }

    /** Whether an update document or pipeline sets, unsets or replaces a shard key field. */
    private boolean changesKey(BsonValue u) {
        if (!(u instanceof BsonDocument update)) {
            return u instanceof BsonArray; // a pipeline may rewrite any field: counted, as it can move the document
        }
        boolean operators = !update.isEmpty() && update.getFirstKey().startsWith("$");
        if (!operators) {
            return true; // a replacement carries the key: it changes unless it is the same value, unknown here
        }
        for (String op : update.keySet()) {
            if (update.get(op) instanceof BsonDocument fields) {
                for (String path : fields.keySet()) {
                    if (pattern.touches(path)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static BsonDocument filter(BsonDocument cmd, String field) {
        return cmd.get(field) instanceof BsonDocument d ? d : new BsonDocument();
    }

    private static BsonArray array(BsonDocument cmd, String field) {
        return cmd.get(field) instanceof BsonArray a ? a : new BsonArray();
    }

    public BsonDocument readDistribution() {
        long total = find + aggregate + count + distinct;
        BsonDocument out = new BsonDocument("sampleSize", new BsonDocument("total", new BsonInt64(total))
            .append("find", new BsonInt64(find)).append("aggregate", new BsonInt64(aggregate))
            .append("count", new BsonInt64(count)).append("distinct", new BsonInt64(distinct)));
        if (total > 0) {
            out.append("percentageOfSingleShardReads", percent(readSingle, total))
                .append("percentageOfMultiShardReads", percent(readMulti, total))
                .append("percentageOfScatterGatherReads", percent(readScatter, total))
                .append("numReadsByRange", longs(readsByRange));
        }
        return out;
    }

    public BsonDocument writeDistribution() {
        long total = update + delete + findAndModify;
        BsonDocument out = new BsonDocument("sampleSize", new BsonDocument("total", new BsonInt64(total))
            .append("update", new BsonInt64(update)).append("delete", new BsonInt64(delete))
            .append("findAndModify", new BsonInt64(findAndModify)));
        if (total > 0) {
            out.append("percentageOfSingleShardWrites", percent(writeSingle, total))
                .append("percentageOfMultiShardWrites", percent(writeMulti, total))
                .append("percentageOfScatterGatherWrites", percent(writeScatter, total))
                .append("numWritesByRange", longs(writesByRange))
                .append("percentageOfShardKeyUpdates", percent(shardKeyUpdates, total))
                .append("percentageOfSingleWritesWithoutShardKey", percent(singleWithoutKey, total))
                .append("percentageOfMultiWritesWithoutShardKey", percent(multiWithoutKey, total));
        }
        return out;
    }

    /** 0 to 100, rounded up at the 10th decimal place as MongoDB does. */
    private static BsonDouble percent(long part, long total) {
        return new BsonDouble(KeyCharacteristics.round(100.0 * part / total));
    }

    private static BsonArray longs(long[] values) {
        BsonArray a = new BsonArray();
        for (long v : values) {
            a.add(new BsonInt64(v));
        }
        return a;
    }
}
