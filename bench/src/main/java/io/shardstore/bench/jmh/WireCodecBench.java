package io.shardstore.bench.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.shardstore.protocol.OpMsg;
import io.shardstore.protocol.WireMessageDecoder;
import io.shardstore.protocol.WireMessageEncoder;
import io.shardstore.protocol.WireRequest;

/**
 * OP_MSG decode (framing checks, section parsing, BSON validation of every document) and encode (a reply
 * frame around a body), the work the router does on every request and reply. {@code find} is a point read's
 * command; {@code insert} carries one ~1.1 KB record in a document sequence.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WireCodecBench {

    @Param({"find", "insert"})
    public String message;

    private ByteBuf frame;
    private ByteBuf replyBody;

    @Setup
    public void setup() {
        frame = message.equals("find") ? BenchDocs.frame(BenchDocs.pointFind(), 7) : BenchDocs.insertFrame(7);
        BsonDocument reply = message.equals("find")
            ? new BsonDocument("cursor", new BsonDocument("firstBatch", new BsonArray(List.of(BenchDocs.record(42))))
                .append("id", new BsonInt64(0)).append("ns", new BsonString("ycsb.s1"))).append("ok", new BsonDouble(1))
            : new BsonDocument("n", new org.bson.BsonInt32(1)).append("ok", new BsonDouble(1));
        replyBody = Unpooled.wrappedBuffer(BenchDocs.bytes(reply));
    }

    @Benchmark
    public int decode() {
        WireRequest r = WireMessageDecoder.decode(frame.retainedDuplicate()); // takes ownership of one reference
        try {
            return ((OpMsg) r).body().readableBytes();
        } finally {
            r.release();
        }
    }

    @Benchmark
    public int encode() {
        ByteBuf out = WireMessageEncoder.opMsg(PooledByteBufAllocator.DEFAULT, 9, 7, 0, replyBody);
        try {
            return out.readableBytes();
        } finally {
            out.release();
        }
    }
}
