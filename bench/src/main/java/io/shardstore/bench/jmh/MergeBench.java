package io.shardstore.bench.jmh;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.shardstore.router.cursor.MergeCursor;
import io.shardstore.router.cursor.RemoteCursor;
import io.shardstore.router.engine.SortOrder;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * The router's k-way merge ({@code MergeCursor}) of k shards' first batches (101 raw ~1.1 KB records each,
 * sorted on {@code n}) down to the first 100: scatter-gather sort + limit 100. With {@code owned}, each
 * document is also checked against the chunk map (shard key, then chunk lookup), as the router's orphan
 * filter does for every document of a merged find.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MergeBench {

    @Param({"2", "4", "16"})
    public int shards;

    @Param({"none", "owned"})
    public String filter;

    private List<List<BsonDocument>> batches;
    private Comparator<BsonDocument> order;
    private BiPredicate<String, BsonDocument> owned;

    @Setup
    public void setup() {
        order = SortOrder.of(new BsonDocument("n", new BsonInt32(1)));
        batches = new ArrayList<>();
        long n = 0;
        for (int s = 0; s < shards; s++) {
            List<BsonDocument> docs = new ArrayList<>();
            for (int i = 0; i < 101; i++) {
                docs.add(BenchDocs.raw(BenchDocs.record(n++)));
            }
            docs.sort(order);
            batches.add(docs);
        }
        if (filter.equals("owned")) {
            // Every document owned by the shard that returned it: the check runs in full and keeps everything.
            ShardKeyPattern key = new ShardKeyPattern(new BsonDocument("_id", new BsonInt32(1)));
            ChunkMap map = new ChunkMap(key, ChunkLookupBench.chunks(1).stream()
                .map(c -> new io.shardstore.sharding.Chunk(c.min(), c.max(), "any", c.version())).toList());
            owned = (shard, doc) -> key.firstMissingField(doc) != null || map.chunkFor(key.keyOf(doc)).shard().equals("any");
        } else {
            owned = (shard, doc) -> true;
        }
    }

    @Benchmark
    public int sortLimit100() {
        List<MergeCursor.Stream> streams = new ArrayList<>(shards);
        for (int s = 0; s < shards; s++) {
            // remote id 0: the shard's cursor is exhausted, so the merge never asks for more (no network)
            streams.add(new MergeCursor.Stream("shard" + s, new RemoteCursor("ycsb.s4", "shard" + s, "shard" + s, 0, null), batches.get(s)));
        }
        MergeCursor cursor = new MergeCursor("ycsb.s4", streams, order, owned, d -> d, 0, 100);
        return cursor.next(100).join().size();
    }
}
