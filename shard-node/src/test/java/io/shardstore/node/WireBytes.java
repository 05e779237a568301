package io.shardstore.node;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

import io.shardstore.protocol.Compressor;
import io.shardstore.protocol.OpCode;

/** Builds wire messages byte by byte, so tests can make them exactly as wrong as they need. */
final class WireBytes {
    static final int HEADER = 16;
    static final int CHECKSUM_PRESENT = 1;
    static final int MORE_TO_COME = 2;

    private WireBytes() {
    }

    /** A little-endian byte writer. */
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

        byte[] toBytes() {
            return out.toByteArray();
        }
    }

    static byte[] bson(BsonDocument doc) {
        ByteBuffer nio = new RawBsonDocument(doc, new BsonDocumentCodec()).getByteBuffer().asNIO();
        byte[] out = new byte[nio.remaining()];
        nio.get(out);
        return out;
    }

    static byte[] bson(String json) {
        return bson(BsonDocument.parse(json));
    }

    /** Wraps element bytes into a document with a right length and terminator. */
    static byte[] doc(byte[] elements) {
        return new Out().i32(4 + elements.length + 1).bytes(elements).u8(0).toBytes();
    }

    /** {a: {a: {... {$db: 'test'} ...}}} nested {@code depth} deep, with ping first so it is a command. */
    static byte[] nestedCommand(int depth) {
        byte[] inner = doc(new byte[0]);
        for (int i = 1; i < depth; i++) {
            inner = doc(new Out().u8(0x03).cstring("a").bytes(inner).toBytes());
        }
        return doc(new Out().u8(0x10).cstring("ping").i32(1).u8(0x03).cstring("a").bytes(inner)
            .u8(0x02).cstring("$db").i32(5).cstring("test").toBytes());
    }

    static int le32(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    static byte[] frame(int requestId, int opCode, byte[] payload) {
        return new Out().i32(HEADER + payload.length).i32(requestId).i32(0).i32(opCode).bytes(payload).toBytes();
    }

    static byte[] body(byte[] doc) {
        return new Out().u8(0).bytes(doc).toBytes();
    }

    static byte[] sequence(String identifier, byte[]... docs) {
        Out content = new Out().cstring(identifier);
        for (byte[] d : docs) {
            content.bytes(d);
        }
        byte[] c = content.toBytes();
        return new Out().u8(1).i32(4 + c.length).bytes(c).toBytes();
    }

    /** An OP_MSG; with CHECKSUM_PRESENT in {@code flags} a correct CRC-32C is appended. */
    static byte[] opMsg(int requestId, int flags, byte[]... sections) {
        Out payload = new Out().i32(flags);
        for (byte[] s : sections) {
            payload.bytes(s);
        }
        byte[] p = payload.toBytes();
        boolean checksum = (flags & CHECKSUM_PRESENT) != 0;
        byte[] noSum = new Out().i32(HEADER + p.length + (checksum ? 4 : 0)).i32(requestId).i32(0).i32(OpCode.OP_MSG.code())
            .bytes(p).toBytes();
        if (!checksum) {
            return noSum;
        }
        CRC32C crc = new CRC32C();
        crc.update(noSum, 0, noSum.length);
        return new Out().bytes(noSum).i32((int) crc.getValue()).toBytes();
    }

    static byte[] command(int requestId, String json) {
        return opMsg(requestId, 0, body(bson(json)));
    }

    static byte[] opQuery(int requestId, String ns, byte[] query) {
        return frame(requestId, OpCode.OP_QUERY.code(), new Out().i32(0).cstring(ns).i32(0).i32(-1).bytes(query).toBytes());
    }

    static byte[] compressed(byte[] message, int compressorId, int uncompressedSize, byte[] packed) {
        return frame(le32(message, 4), OpCode.OP_COMPRESSED.code(),
            new Out().i32(le32(message, 12)).i32(uncompressedSize).u8(compressorId).bytes(packed).toBytes());
    }

    static byte[] compressed(byte[] message, Compressor compressor) {
        byte[] plain = Arrays.copyOfRange(message, HEADER, message.length);
        return compressed(message, compressor.id(), plain.length, compressor.compress(plain));
    }
}
