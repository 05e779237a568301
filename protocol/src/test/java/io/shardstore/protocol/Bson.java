package io.shardstore.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Test helpers: BSON bytes built with org.bson, or by hand when they must be malformed. */
final class Bson {

    private Bson() {
    }

    static byte[] bytes(BsonDocument doc) {
        RawBsonDocument raw = new RawBsonDocument(doc, new BsonDocumentCodec());
        ByteBuffer nio = raw.getByteBuffer().asNIO();
        byte[] out = new byte[nio.remaining()];
        nio.get(out);
        return out;
    }

    static byte[] bytes(String json) {
        return bytes(BsonDocument.parse(json));
    }

    static BsonDocument parse(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return new RawBsonDocument(b).decode(new BsonDocumentCodec());
    }

    static ByteBuf buf(byte[] bytes) {
        return Unpooled.wrappedBuffer(bytes);
    }

    /** A little-endian byte writer for hand-made documents and frames. */
    static final class Out {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Out i32(int v) {
            out.write(v);
            out.write(v >>> 8);
            out.write(v >>> 16);
            out.write(v >>> 24);
            return this;
        }

        Out i64(long v) {
            return i32((int) v).i32((int) (v >>> 32));
        }

        Out u8(int v) {
            out.write(v);
            return this;
        }

        Out bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Out cstring(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
            return this;
        }

        int size() {
            return out.size();
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }

    /** Wraps raw element bytes into a document with a correct length prefix and terminator. */
    static byte[] doc(byte[] elements) {
        return new Out().i32(4 + elements.length + 1).bytes(elements).u8(0).toBytes();
    }

    /** {@code depth} documents nested in each other: {a: {a: {... {}}}}; depth 1 is {}. */
    static byte[] nested(int depth) {
        byte[] inner = doc(new byte[0]);
        for (int i = 1; i < depth; i++) {
            inner = doc(new Out().u8(0x03).cstring("a").bytes(inner).toBytes());
        }
        return inner;
    }

    static int le32(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
