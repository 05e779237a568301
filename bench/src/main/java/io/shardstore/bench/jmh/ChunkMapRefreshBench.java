package io.shardstore.bench.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.shardstore.sharding.Chunk;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.ChunkVersion;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * The router's side of refreshing one split chunk: {@code ChunkMap.withChanges} splices the two halves into
 * the sorted chunks, against building the whole map again from the merged list (what a refresh did before).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChunkMapRefreshBench {

    @Param({"10000", "1000000"})
    public int chunks;

    private ShardKeyPattern key;
    private ChunkMap map;
    private List<Chunk> split;

    @Setup
    public void setup() {
        key = new ShardKeyPattern(new BsonDocument("_id", new BsonInt32(1)));
        map = new ChunkMap(key, ChunkLookupBench.chunks(chunks));
        Chunk old = map.chunks().get(chunks / 2);
        long lo = old.min().getInt64("_id").getValue();
        long hi = old.max().getInt64("_id").getValue();
        BsonDocument mid = new BsonDocument("_id", new BsonInt64(lo + (hi - lo) / 2));
        ChunkVersion top = map.collectionVersion();
        split = List.of(new Chunk(old.min(), mid, old.shard(), new ChunkVersion(top.major(), top.minor() + 1, top.epoch(), top.timestamp())),
            new Chunk(mid, old.max(), old.shard(), new ChunkVersion(top.major(), top.minor() + 2, top.epoch(), top.timestamp())));
    }

    @Benchmark
    public ChunkMap withChanges() {
        return map.withChanges(split);
    }
}
