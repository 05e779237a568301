package io.shardstore.bench.jmh;

import java.util.UUID;

import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shardstore.bench.ycsb.Keys;
import io.shardstore.protocol.OpCode;

/** The documents and frames the micro-benchmarks work on, shaped like the macro benchmark's traffic. */
final class BenchDocs {

    private BenchDocs() {
    }

    /** A YCSB record: _id, n, field0..field9 of 100 letters (about 1.1 KB). */
    static BsonDocument record(long n) {
        BsonDocument d = new BsonDocument("_id", new BsonInt64(Keys.idOf(n))).append("n", new BsonInt32((int) Keys.fnv64(n * 31)));
        for (int i = 0; i < 10; i++) {
            d.append("field" + i, new BsonString("abcdefghijklmnopqrstuvwxy".repeat(4)));
        }
        return d;
    }

    static RawBsonDocument raw(BsonDocument d) {
        return new RawBsonDocument(d, new BsonDocumentCodec());
    }

    /** The find a driver sends for a point read: find, filter on _id, limit 1, singleBatch, lsid, $db. */
    static BsonDocument pointFind() {
        return new BsonDocument("find", new BsonString("s1"))
            .append("filter", new BsonDocument("_id", new BsonInt64(Keys.idOf(42))))
            .append("limit", new BsonInt32(1))
            .append("singleBatch", org.bson.BsonBoolean.TRUE)
            .append("lsid", new BsonDocument("id", new BsonBinary(UUID.randomUUID())))
            .append("$db", new BsonString("ycsb"));
    }

    /** An insert of one record as drivers send it: the command body plus a kind-1 "documents" sequence. */
    static ByteBuf insertFrame(int requestId) {
        byte[] body = bytes(new BsonDocument("insert", new BsonString("s1")).append("ordered", org.bson.BsonBoolean.TRUE)
            .append("$db", new BsonString("ycsb")));
        byte[] doc = bytes(record(7));
        byte[] id = "documents".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int seqSize = 4 + id.length + 1 + doc.length;
        int length = 16 + 4 + 1 + body.length + 1 + seqSize;
        ByteBuf f = Unpooled.buffer(length);
        f.writeIntLE(length).writeIntLE(requestId).writeIntLE(0).writeIntLE(OpCode.OP_MSG.code()).writeIntLE(0);
        f.writeByte(0).writeBytes(body);
        f.writeByte(1).writeIntLE(seqSize).writeBytes(id).writeByte(0).writeBytes(doc);
        return f;
    }

    /** An OP_MSG frame with one body section. */
    static ByteBuf frame(BsonDocument body, int requestId) {
        byte[] b = bytes(body);
        int length = 16 + 4 + 1 + b.length;
        ByteBuf f = Unpooled.buffer(length);
        f.writeIntLE(length).writeIntLE(requestId).writeIntLE(0).writeIntLE(OpCode.OP_MSG.code()).writeIntLE(0);
        f.writeByte(0).writeBytes(b);
        return f;
    }

    static byte[] bytes(BsonDocument d) {
        java.nio.ByteBuffer bb = raw(d).getByteBuffer().asNIO();
        byte[] out = new byte[bb.remaining()];
        bb.get(out);
        return out;
    }
}
