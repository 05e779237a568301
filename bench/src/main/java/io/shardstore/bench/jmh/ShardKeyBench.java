package io.shardstore.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.shardstore.sharding.ShardKeyPattern;

/**
 * Shard-key extraction ({@code ShardKeyPattern.keyOf}) from a ~1.1 KB record: done by the router for every
 * inserted document and, during merges, for every returned document (orphan filtering). Raw documents are
 * what the router holds (replies are not decoded), decoded ones what a command body becomes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ShardKeyBench {

    @Param({"range", "hashed", "compound"})
    public String pattern;

    @Param({"decoded", "raw"})
    public String document;

    private ShardKeyPattern key;
    private BsonDocument doc;

    @Setup
    public void setup() {
        key = switch (pattern) {
            case "range" -> new ShardKeyPattern(new BsonDocument("_id", new BsonInt32(1)));
            case "hashed" -> new ShardKeyPattern(new BsonDocument("_id", new BsonString("hashed")));
            default -> new ShardKeyPattern(new BsonDocument("n", new BsonInt32(1)).append("field3", new BsonInt32(1)));
        };
        BsonDocument d = BenchDocs.record(123);
        doc = document.equals("raw") ? BenchDocs.raw(d) : d;
    }

    @Benchmark
    public BsonDocument keyOf() {
        return key.keyOf(doc);
    }
}
