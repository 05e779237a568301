package io.shardstore.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.zip.CRC32C;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

class WireMessageEncoderTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final BsonDocument REPLY = BsonDocument.parse("{ok: 1.0, n: 3, cursor: {id: {$numberLong: '0'}, ns: 'test.c', firstBatch: [{_id: 1}]}}");

    private static ByteBuf replyBuf() {
        return Unpooled.wrappedBuffer(Bson.bytes(REPLY));
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return b;
    }

    @Test
    void opMsgDecodesAgain() {
        ByteBuf body = replyBuf();
        ByteBuf out = WireMessageEncoder.opMsg(ALLOC, 100, 42, 0, body);
        assertEquals(0, body.readerIndex(), "the body is read without being consumed");
        assertEquals(1, body.refCnt(), "nor released");
        MsgHeader header = MsgHeader.peek(out);
        assertEquals(out.readableBytes(), header.messageLength());
        assertEquals(100, header.requestId());
        assertEquals(42, header.responseTo());
        assertEquals(OpCode.OP_MSG.code(), header.opCode());
        OpMsg msg = assertInstanceOf(OpMsg.class, WireMessageDecoder.decode(out));
        assertEquals(0, msg.flags());
        assertEquals(REPLY, Bson.parse(msg.body()));
        assertTrue(msg.sequences().isEmpty());
        msg.release();
    }

    @Test
    void opMsgWithChecksumCarriesAValidCrc32c() {
        ByteBuf out = WireMessageEncoder.opMsg(ALLOC, 100, 42, OpMsg.CHECKSUM_PRESENT, replyBuf());
        byte[] b = bytes(out);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        assertEquals((int) crc.getValue(), Bson.le32(b, b.length - 4));
        // and the decoder, which verifies it, accepts it
        OpMsg msg = assertInstanceOf(OpMsg.class, WireMessageDecoder.decode(out));
        assertTrue(msg.checksumPresent());
        assertEquals(REPLY, Bson.parse(msg.body()));
        msg.release();
    }

    @Test
    void opMsgIsByteForByteWhatTheTestBuilderMakes() {
        byte[] doc = Bson.bytes(REPLY);
        ByteBuf out = WireMessageEncoder.opMsg(ALLOC, 5, 0, OpMsg.CHECKSUM_PRESENT, Unpooled.wrappedBuffer(doc));
        assertArrayEquals(Frames.opMsg(5, OpMsg.CHECKSUM_PRESENT, Frames.body(doc)), bytes(out));
        out.release();
    }

    @Test
    void opReplyLayout() {
        ByteBuf doc = replyBuf();
        ByteBuf out = WireMessageEncoder.opReply(ALLOC, 7, 8, 2, doc);
        MsgHeader header = MsgHeader.peek(out);
        assertEquals(out.readableBytes(), header.messageLength());
        assertEquals(7, header.requestId());
        assertEquals(8, header.responseTo());
        assertEquals(OpCode.OP_REPLY.code(), header.opCode());
        assertEquals(2, out.getIntLE(16), "responseFlags");
        assertEquals(0L, out.getLongLE(20), "cursorId");
        assertEquals(0, out.getIntLE(28), "startingFrom");
        assertEquals(1, out.getIntLE(32), "numberReturned");
        assertEquals(REPLY, Bson.parse(out.slice(36, out.readableBytes() - 36)));
        assertEquals(0, doc.readerIndex());
        out.release();
    }

    @ParameterizedTest
    @EnumSource(Compressor.class)
    void compressedOpMsgDecodesAgain(Compressor compressor) {
        ByteBuf plain = WireMessageEncoder.opMsg(ALLOC, 100, 42, OpMsg.CHECKSUM_PRESENT, replyBuf());
        int plainLength = plain.readableBytes();
        ByteBuf out = WireMessageEncoder.compress(ALLOC, plain, compressor);
        assertEquals(0, plain.refCnt(), "compress releases the message it wraps");
        MsgHeader header = MsgHeader.peek(out);
        assertEquals(OpCode.OP_COMPRESSED.code(), header.opCode());
        assertEquals(out.readableBytes(), header.messageLength());
        assertEquals(100, header.requestId());
        assertEquals(42, header.responseTo());
        assertEquals(OpCode.OP_MSG.code(), out.getIntLE(16), "originalOpcode");
        assertEquals(plainLength - MsgHeader.SIZE, out.getIntLE(20), "uncompressedSize");
        assertEquals(compressor.id(), out.getUnsignedByte(24), "compressorId");
        OpMsg msg = assertInstanceOf(OpMsg.class, WireMessageDecoder.decode(out));
        assertSame(compressor, msg.compressor());
        assertEquals(42, msg.header().responseTo());
        assertEquals(REPLY, Bson.parse(msg.body()));
        msg.release();
    }

    @ParameterizedTest
    @EnumSource(Compressor.class)
    void compressedOpReplyInflatesToTheSameBytes(Compressor compressor) {
        ByteBuf plain = WireMessageEncoder.opReply(ALLOC, 7, 8, 0, replyBuf());
        byte[] original = bytes(plain);
        ByteBuf out = WireMessageEncoder.compress(ALLOC, plain, compressor);
        assertEquals(OpCode.OP_REPLY.code(), out.getIntLE(16));
        byte[] packed = Arrays.copyOfRange(bytes(out), 25, out.readableBytes());
        byte[] inflated = compressor.decompress(packed, out.getIntLE(20));
        assertArrayEquals(Arrays.copyOfRange(original, MsgHeader.SIZE, original.length), inflated);
        out.release();
    }

    @ParameterizedTest
    @EnumSource(Compressor.class)
    void compressorsRoundTripLargeAndEmptyInputs(Compressor compressor) {
        byte[] big = new byte[3_000_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i % 251 < 100 ? i : 'x');
        }
        assertArrayEquals(big, compressor.decompress(compressor.compress(big), big.length));
        assertArrayEquals(new byte[0], compressor.decompress(compressor.compress(new byte[0]), 0));
    }

    @Test
    void compressorsAreFoundByIdAndWireName() {
        for (Compressor c : Compressor.values()) {
            assertSame(c, Compressor.byId(c.id()));
            assertSame(c, Compressor.byName(c.wireName()));
        }
        assertEquals(1, Compressor.SNAPPY.id());
        assertEquals(2, Compressor.ZLIB.id());
        assertEquals(3, Compressor.ZSTD.id());
        assertEquals(null, Compressor.byId(4));
        assertEquals(null, Compressor.byName("lz4"));
    }
}
