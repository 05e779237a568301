package io.shardstore.bench.jmh;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

import io.shardstore.sharding.Chunk;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * Building a ChunkMap (sort by min, per-shard versions) from N chunks: the router does this on every refresh,
 * incremental ones included (it merges the changed chunks into the old list, then builds a new map), so this
 * is the part of "refresh one changed chunk" that grows with the collection's chunk count.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChunkMapBuildBench {

    @Param({"1000", "100000", "1000000"})
    public int chunks;

    private ShardKeyPattern key;
    private List<Chunk> list;

    @Setup
    public void setup() {
        key = new ShardKeyPattern(new BsonDocument("_id", new BsonInt32(1)));
        list = new ArrayList<>(ChunkLookupBench.chunks(chunks));
        // A refresh appends the changed chunks to the unchanged ones: nearly sorted, not sorted.
        Collections.swap(list, 0, list.size() - 1);
    }

    @Benchmark
    public ChunkMap build() {
        return new ChunkMap(key, list);
    }
}
