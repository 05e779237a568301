package io.shardstore.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonTimestamp;
import org.bson.types.ObjectId;
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
 * Which chunk owns a key ({@code ChunkMap.chunkFor}, a binary search) with 1,000 / 100,000 / 1,000,000
 * chunks on 4 shards: the router does it for every targeted request. Keys are drawn from a pool of 4,096
 * random keys so the search path is not the same every time (the cache misses of a large map count).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChunkLookupBench {

    @Param({"1000", "100000", "1000000"})
    public int chunks;

    private ChunkMap map;
    private BsonDocument[] keys;
    private int next;

    @Setup
    public void setup() {
        map = new ChunkMap(new ShardKeyPattern(new BsonDocument("_id", new BsonInt32(1))), chunks(chunks));
        keys = new BsonDocument[4096];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new BsonDocument("_id", new BsonInt64(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE)));
        }
    }

    /** {@code count} equal chunks over [MinKey, MaxKey) on shard0..3, bounds shared between neighbours as in a real map. */
    static List<Chunk> chunks(int count) {
        ObjectId epoch = new ObjectId();
        BsonTimestamp ts = new BsonTimestamp(1, 0);
        List<Chunk> out = new ArrayList<>(count);
        long width = Long.MAX_VALUE / count;
        BsonDocument min = new BsonDocument("_id", new BsonMinKey());
        for (int i = 0; i < count; i++) {
            BsonDocument max = i == count - 1 ? new BsonDocument("_id", new BsonMaxKey()) : new BsonDocument("_id", new BsonInt64(width * (i + 1)));
            out.add(new Chunk(min, max, "shard" + (i % 4), new ChunkVersion(1, i, epoch, ts)));
            min = max;
        }
        return out;
    }

    @Benchmark
    public Chunk chunkFor() {
        return map.chunkFor(keys[next++ & 4095]);
    }
}
