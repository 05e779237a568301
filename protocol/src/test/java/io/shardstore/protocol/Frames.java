package io.shardstore.protocol;

import java.util.zip.CRC32C;

import io.shardstore.protocol.Bson.Out;

/** Builds request frames byte by byte, so tests can make them as wrong as they like. */
final class Frames {

    private Frames() {
    }

    static byte[] frame(int requestId, int responseTo, int opCode, byte[] payload) {
        return new Out().i32(MsgHeader.SIZE + payload.length).i32(requestId).i32(responseTo).i32(opCode)
            .bytes(payload).toBytes();
    }

    /** A kind-0 section. */
    static byte[] body(byte[] doc) {
        return new Out().u8(0).bytes(doc).toBytes();
    }

    /** A kind-1 section. */
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
        boolean checksum = (flags & OpMsg.CHECKSUM_PRESENT) != 0;
        byte[] p = payload.toBytes();
        int length = MsgHeader.SIZE + p.length + (checksum ? 4 : 0);
        Out out = new Out().i32(length).i32(requestId).i32(0).i32(OpCode.OP_MSG.code()).bytes(p);
        if (checksum) {
            CRC32C crc = new CRC32C();
            byte[] soFar = out.toBytes();
            crc.update(soFar, 0, soFar.length);
            out.i32((int) crc.getValue());
        }
        return out.toBytes();
    }

    static byte[] opQuery(int requestId, int flags, String ns, int skip, int toReturn, byte[] query, byte[] fields) {
        Out payload = new Out().i32(flags).cstring(ns).i32(skip).i32(toReturn).bytes(query);
        if (fields != null) {
            payload.bytes(fields);
        }
        return frame(requestId, 0, OpCode.OP_QUERY.code(), payload.toBytes());
    }

    /** OP_COMPRESSED around {@code message}, with the given id and declared size (for lying about them). */
    static byte[] compressed(byte[] message, int compressorId, int uncompressedSize, byte[] compressedBody) {
        int requestId = Bson.le32(message, 4);
        int originalOpCode = Bson.le32(message, 12);
        return frame(requestId, 0, OpCode.OP_COMPRESSED.code(), new Out().i32(originalOpCode).i32(uncompressedSize)
            .u8(compressorId).bytes(compressedBody).toBytes());
    }

    static byte[] compressed(byte[] message, Compressor compressor) {
        byte[] plain = java.util.Arrays.copyOfRange(message, MsgHeader.SIZE, message.length);
        return compressed(message, compressor.id(), plain.length, compressor.compress(plain));
    }
}
