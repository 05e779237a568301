package io.shardstore.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shardstore.protocol.Bson.Out;

class WireMessageDecoderTest {

    private static final byte[] PING = Bson.bytes("{ping: 1, $db: 'admin'}");

    /** Decodes a copy of {@code bytes} in a fresh buffer (the decoder takes ownership). */
    private static WireRequest decode(byte[] bytes) {
        return WireMessageDecoder.decode(Unpooled.copiedBuffer(bytes));
    }

    /** Asserts the frame is refused with {@code code}, and that the decoder freed the frame. */
    private static ProtocolException refused(byte[] bytes, ErrorCode code) {
        ByteBuf frame = Unpooled.copiedBuffer(bytes);
        ProtocolException e = assertThrows(ProtocolException.class, () -> WireMessageDecoder.decode(frame));
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(0, frame.refCnt(), "a refused frame is released by the decoder");
        return e;
    }

    private static void assertFatal(byte[] bytes, ErrorCode code) {
        assertTrue(refused(bytes, code).fatal(), code + " should end the connection");
    }

    private static BsonDocument doc(ByteBuf buf) {
        return Bson.parse(buf);
    }

    // ---- OP_MSG ---------------------------------------------------------------------------------------------

    @Test
    void decodesOpMsgWithABodySection() {
        ByteBuf frame = Unpooled.copiedBuffer(Frames.opMsg(42, 0, Frames.body(PING)));
        OpMsg msg = assertInstanceOf(OpMsg.class, WireMessageDecoder.decode(frame));
        assertEquals(42, msg.requestId());
        assertEquals(OpCode.OP_MSG.code(), msg.header().opCode());
        assertEquals(0, msg.flags());
        assertFalse(msg.checksumPresent());
        assertFalse(msg.moreToCome());
        assertNull(msg.compressor());
        assertTrue(msg.sequences().isEmpty());
        assertEquals(BsonDocument.parse("{ping: 1, $db: 'admin'}"), doc(msg.body()));
        msg.release();
        assertEquals(0, frame.refCnt(), "release() frees the frame");
    }

    @Test
    void decodesKindOneDocumentSequences() {
        byte[] insert = Bson.bytes("{insert: 'c', ordered: true, $db: 'test'}");
        byte[][] docs = {Bson.bytes("{_id: 1}"), Bson.bytes("{_id: 2, a: 'x'}"), Bson.bytes("{_id: 3, b: [1, 2]}")};
        byte[] frame = Frames.opMsg(7, 0,
            Frames.sequence("documents", docs),
            Frames.body(insert),
            Frames.sequence("other", Bson.bytes("{z: true}")),
            Frames.sequence("empty"));
        OpMsg msg = assertInstanceOf(OpMsg.class, decode(frame));
        assertEquals(BsonDocument.parse("{insert: 'c', ordered: true, $db: 'test'}"), doc(msg.body()));
        assertEquals(List.of("documents", "other", "empty"), msg.sequences().stream().map(DocumentSequence::identifier).toList());
        List<ByteBuf> got = msg.sequences().get(0).documents();
        assertEquals(3, got.size());
        for (int i = 0; i < docs.length; i++) {
            assertEquals(new org.bson.RawBsonDocument(docs[i]), new org.bson.RawBsonDocument(bytesOf(got.get(i))));
        }
        assertEquals(BsonDocument.parse("{z: true}"), doc(msg.sequences().get(1).documents().get(0)));
        assertTrue(msg.sequences().get(2).documents().isEmpty());
        msg.release();
    }

    @Test
    void acceptsAndVerifiesACorrectChecksum() {
        byte[] frame = Frames.opMsg(1, OpMsg.CHECKSUM_PRESENT, Frames.body(PING), Frames.sequence("s", Bson.bytes("{a: 1}")));
        OpMsg msg = assertInstanceOf(OpMsg.class, decode(frame));
        assertTrue(msg.checksumPresent());
        assertEquals(BsonDocument.parse("{ping: 1, $db: 'admin'}"), doc(msg.body()));
        assertEquals(1, msg.sequences().size(), "the checksum is not read as a section");
        msg.release();
    }

    @Test
    void refusesAWrongChecksum() {
        byte[] frame = Frames.opMsg(1, OpMsg.CHECKSUM_PRESENT, Frames.body(PING));
        frame[frame.length - 1] ^= 0x01;
        assertFatal(frame, ErrorCode.ChecksumMismatch);
        assertEquals(288, ErrorCode.ChecksumMismatch.code());
    }

    @Test
    void refusesAMessageWhoseContentChangedUnderItsChecksum() {
        byte[] frame = Frames.opMsg(1, OpMsg.CHECKSUM_PRESENT, Frames.body(Bson.bytes("{ping: 1, $db: 'admin'}")));
        frame[MsgHeader.SIZE + 4 + 1 + 4 + 1 + 1] = 'P'; // "ping" -> "pPng"
        assertFatal(frame, ErrorCode.ChecksumMismatch);
    }

    @Test
    void refusesAChecksumFlagWithoutRoomForTheChecksum() {
        byte[] frame = Frames.opMsg(1, 0, Frames.body(Bson.bytes("{}")));
        frame[MsgHeader.SIZE] = OpMsg.CHECKSUM_PRESENT;
        assertFatal(frame, ErrorCode.ProtocolError);
    }

    @Test
    void acceptsMoreToComeAndOptionalFlagBits() {
        int flags = OpMsg.MORE_TO_COME | OpMsg.EXHAUST_ALLOWED | (1 << 20) | (1 << 31);
        OpMsg msg = assertInstanceOf(OpMsg.class, decode(Frames.opMsg(3, flags, Frames.body(PING))));
        assertTrue(msg.moreToCome());
        assertEquals(flags, msg.flags());
        msg.release();
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 8, 15})
    void refusesUnknownRequiredFlagBits(int bit) {
        ProtocolException e = refused(Frames.opMsg(3, 1 << bit, Frames.body(PING)), ErrorCode.IllegalOpMsgFlag);
        assertTrue(e.fatal());
        assertEquals(223, e.code().code());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 0x7F, 0xFF})
    void refusesUnknownSectionKinds(int kind) {
        byte[] bogus = new Out().u8(kind).bytes(Bson.bytes("{}")).toBytes();
        ProtocolException e = refused(Frames.opMsg(3, 0, Frames.body(PING), bogus), ErrorCode.UnknownSectionKind);
        assertEquals(40432, e.code().code());
        assertEquals("Location40432", e.code().codeName());
    }

    @Test
    void refusesAMessageWithoutBodySection() {
        byte[] frame = Frames.opMsg(3, 0, Frames.sequence("documents", Bson.bytes("{a: 1}"), Bson.bytes("{a: 2}")));
        assertEquals(40587, refused(frame, ErrorCode.MissingBodySection).code().code());
    }

    @Test
    void refusesTwoBodySections() {
        byte[] frame = Frames.opMsg(3, 0, Frames.body(PING), Frames.body(PING));
        assertEquals(40430, refused(frame, ErrorCode.MultipleBodySections).code().code());
    }

    @Test
    void refusesAnOpMsgTooShortForABody() {
        assertFatal(Frames.frame(1, 0, OpCode.OP_MSG.code(), new Out().i32(0).toBytes()), ErrorCode.ProtocolError);
        assertFatal(Frames.frame(1, 0, OpCode.OP_MSG.code(), new byte[0]), ErrorCode.ProtocolError);
    }

    @Test
    void refusesBadBsonInTheBodyWithoutEndingTheConnection() {
        byte[] bad = PING.clone();
        bad[bad.length - 1] = 7;
        ProtocolException e = refused(Frames.opMsg(1, 0, Frames.body(bad)), ErrorCode.InvalidBSON);
        assertFalse(e.fatal());
    }

    @Test
    void refusesABodyLongerThanTheMessage() {
        byte[] frame = Frames.opMsg(1, 0, Frames.body(PING));
        frame[MsgHeader.SIZE + 4 + 1] += 10;
        assertFalse(refused(frame, ErrorCode.InvalidBSON).fatal());
    }

    @Test
    void refusesDeeplyNestedBodyAsOverflow() {
        assertEquals(15, refused(Frames.opMsg(1, 0, Frames.body(Bson.nested(200))), ErrorCode.Overflow).code().code());
    }

    @Test
    void refusesABadDocumentInASequence() {
        byte[] bad = Bson.bytes("{a: 1}");
        bad[0] = 3;
        refused(Frames.opMsg(1, 0, Frames.body(PING), Frames.sequence("documents", Bson.bytes("{a: 1}"), bad)),
            ErrorCode.InvalidBSON);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 4, 1000})
    void refusesDocumentSequencesWithBadSizes(int size) {
        byte[] seq = Frames.sequence("documents", Bson.bytes("{a: 1}"));
        byte[] lied = new Out().u8(1).i32(size).bytes(Arrays.copyOfRange(seq, 5, seq.length)).toBytes();
        assertFatal(Frames.opMsg(1, 0, Frames.body(PING), lied), ErrorCode.ProtocolError);
    }

    @Test
    void refusesATruncatedDocumentSequence() {
        assertFatal(Frames.opMsg(1, 0, Frames.body(PING), new byte[] {1, 9, 0}), ErrorCode.ProtocolError);
    }

    @Test
    void refusesAnUnterminatedSequenceIdentifier() {
        byte[] seq = new Out().u8(1).i32(4 + 3).bytes(new byte[] {'a', 'b', 'c'}).toBytes();
        assertFatal(Frames.opMsg(1, 0, Frames.body(PING), seq), ErrorCode.ProtocolError);
    }

    @Test
    void refusesDuplicateSequenceIdentifiers() {
        byte[] seq = Frames.sequence("documents", Bson.bytes("{a: 1}"));
        assertFatal(Frames.opMsg(1, 0, Frames.body(PING), seq, seq), ErrorCode.ProtocolError);
    }

    @Test
    void refusesASequenceDocumentAboveSixteenMegabytes() {
        byte[] big = Bson.bytes(new BsonDocument("b", new org.bson.BsonBinary(new byte[WireLimits.MAX_BSON_OBJECT_SIZE])));
        refused(Frames.opMsg(1, 0, Frames.body(PING), Frames.sequence("documents", big)), ErrorCode.BSONObjectTooLarge);
    }

    @Test
    void acceptsACommandBodySlightlyAboveSixteenMegabytes() {
        // Commands may exceed a document by 16 KiB (mongod's BSONObjMaxInternalSize).
        byte[] big = Bson.bytes(new BsonDocument("insert", new org.bson.BsonString("c"))
            .append("pad", new org.bson.BsonBinary(new byte[WireLimits.MAX_BSON_OBJECT_SIZE]))
            .append("$db", new org.bson.BsonString("test")));
        assertTrue(big.length > WireLimits.MAX_BSON_OBJECT_SIZE && big.length <= WireLimits.MAX_COMMAND_OBJECT_SIZE);
        decode(Frames.opMsg(1, 0, Frames.body(big))).release();
    }

    // ---- header and opcodes -------------------------------------------------------------------------------

    @Test
    void refusesAHeaderLengthThatDisagreesWithTheFrame() {
        byte[] frame = Frames.opMsg(1, 0, Frames.body(PING));
        frame[0] += 1;
        assertFatal(frame, ErrorCode.ProtocolError);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 1000, 2003, 2010, 2011, 2014, -1})
    void refusesUnknownOpcodes(int opCode) {
        assertFatal(Frames.frame(1, 0, opCode, Frames.body(PING)), ErrorCode.ProtocolError);
    }

    @Test
    void refusesOpReplyFromAClient() {
        byte[] payload = new Out().i32(0).i64(0).i32(0).i32(1).bytes(PING).toBytes();
        assertFatal(Frames.frame(1, 0, OpCode.OP_REPLY.code(), payload), ErrorCode.ProtocolError);
    }

    @ParameterizedTest
    @EnumSource(value = OpCode.class, names = {"OP_INSERT", "OP_UPDATE", "OP_DELETE", "OP_GET_MORE", "OP_KILL_CURSORS"})
    void passesRemovedOpcodesOnAsLegacyRequests(OpCode op) {
        ByteBuf frame = Unpooled.copiedBuffer(Frames.frame(9, 0, op.code(), new Out().i32(0).cstring("test.c").bytes(PING).toBytes()));
        LegacyRequest request = assertInstanceOf(LegacyRequest.class, WireMessageDecoder.decode(frame));
        assertEquals(op, request.opCode());
        assertEquals(9, request.requestId());
        assertEquals(op == OpCode.OP_GET_MORE, request.expectsReply());
        request.release();
        assertEquals(0, frame.refCnt());
    }

    // ---- OP_QUERY -----------------------------------------------------------------------------------------

    @Test
    void parsesOpQuery() {
        byte[] query = Bson.bytes("{isMaster: 1, helloOk: true, client: {driver: {name: 'x'}}}");
        byte[] fields = Bson.bytes("{a: 1}");
        OpQuery q = assertInstanceOf(OpQuery.class, decode(Frames.opQuery(5, 4, "admin.$cmd", 0, -1, query, fields)));
        assertEquals(5, q.requestId());
        assertEquals(4, q.flags());
        assertEquals("admin.$cmd", q.fullCollectionName());
        assertEquals("admin", q.commandDatabase());
        assertEquals(0, q.numberToSkip());
        assertEquals(-1, q.numberToReturn());
        assertNull(q.compressor());
        assertEquals(new org.bson.RawBsonDocument(query), new org.bson.RawBsonDocument(bytesOf(q.query())));
        q.release();
    }

    @Test
    void opQueryOnACollectionIsNotACommand() {
        OpQuery q = assertInstanceOf(OpQuery.class, decode(Frames.opQuery(5, 0, "test.c", 3, 10, Bson.bytes("{a: 1}"), null)));
        assertNull(q.commandDatabase());
        assertEquals(3, q.numberToSkip());
        assertEquals(10, q.numberToReturn());
        q.release();
    }

    @Test
    void refusesOpQueryWithBadBson() {
        byte[] bad = Bson.bytes("{isMaster: 1}");
        bad[bad.length - 1] = 1;
        refused(Frames.opQuery(5, 0, "admin.$cmd", 0, -1, bad, null), ErrorCode.InvalidBSON);
        byte[] badFields = Bson.bytes("{a: 1}");
        badFields[0] = 100;
        refused(Frames.opQuery(5, 0, "admin.$cmd", 0, -1, Bson.bytes("{isMaster: 1}"), badFields), ErrorCode.InvalidBSON);
    }

    @Test
    void refusesMalformedOpQueryFrames() {
        // collection name without its terminator
        byte[] payload = new Out().i32(0).bytes("admin.$cmd-and-no-zero-anywhere-here".getBytes()).toBytes();
        assertFatal(Frames.frame(1, 0, OpCode.OP_QUERY.code(), payload), ErrorCode.ProtocolError);
        // too short for skip/return and a document
        assertFatal(Frames.frame(1, 0, OpCode.OP_QUERY.code(), new Out().i32(0).cstring("a.$cmd").i32(0).i32(0).u8(5).toBytes()),
            ErrorCode.ProtocolError);
        assertFatal(Frames.frame(1, 0, OpCode.OP_QUERY.code(), new Out().i32(0).toBytes()), ErrorCode.ProtocolError);
    }

    // ---- OP_COMPRESSED ------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Compressor.class)
    void decodesCompressedOpMsg(Compressor compressor) {
        byte[] plain = Frames.opMsg(11, 0, Frames.body(Bson.bytes("{insert: 'c', $db: 'test'}")),
            Frames.sequence("documents", Bson.bytes("{_id: 1, s: '" + "x".repeat(500) + "'}"), Bson.bytes("{_id: 2}")));
        ByteBuf frame = Unpooled.copiedBuffer(Frames.compressed(plain, compressor));
        OpMsg msg = assertInstanceOf(OpMsg.class, WireMessageDecoder.decode(frame));
        assertEquals(0, frame.refCnt(), "the compressed frame is freed once inflated");
        assertSame(compressor, msg.compressor());
        assertEquals(11, msg.requestId());
        assertEquals(OpCode.OP_MSG.code(), msg.header().opCode());
        assertEquals(plain.length, msg.header().messageLength());
        assertEquals(BsonDocument.parse("{insert: 'c', $db: 'test'}"), doc(msg.body()));
        assertEquals(2, msg.sequences().get(0).documents().size());
        msg.release();
        assertEquals(0, msg.backing().refCnt());
    }

    @ParameterizedTest
    @EnumSource(Compressor.class)
    void decodesCompressedOpMsgWithChecksum(Compressor compressor) {
        byte[] plain = Frames.opMsg(11, OpMsg.CHECKSUM_PRESENT, Frames.body(PING));
        OpMsg msg = assertInstanceOf(OpMsg.class, decode(Frames.compressed(plain, compressor)));
        assertTrue(msg.checksumPresent());
        assertEquals(BsonDocument.parse("{ping: 1, $db: 'admin'}"), doc(msg.body()));
        msg.release();
    }

    @ParameterizedTest
    @EnumSource(Compressor.class)
    void decodesCompressedOpQuery(Compressor compressor) {
        byte[] plain = Frames.opQuery(12, 0, "admin.$cmd", 0, -1, Bson.bytes("{hello: 1}"), null);
        OpQuery q = assertInstanceOf(OpQuery.class, decode(Frames.compressed(plain, compressor)));
        assertSame(compressor, q.compressor());
        assertEquals("admin", q.commandDatabase());
        q.release();
    }

    @ParameterizedTest
    @EnumSource(Compressor.class)
    void refusesAWrongUncompressedSize(Compressor compressor) {
        byte[] plain = Frames.opMsg(11, 0, Frames.body(PING));
        byte[] body = Arrays.copyOfRange(plain, MsgHeader.SIZE, plain.length);
        byte[] packed = compressor.compress(body);
        for (int size : new int[] {body.length - 1, body.length + 1, body.length * 4, 0}) {
            assertFatal(Frames.compressed(plain, compressor.id(), size, packed), ErrorCode.ProtocolError);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, WireLimits.MAX_MESSAGE_SIZE_BYTES, Integer.MAX_VALUE})
    void refusesAnOutOfRangeUncompressedSize(int size) {
        byte[] plain = Frames.opMsg(11, 0, Frames.body(PING));
        assertFatal(Frames.compressed(plain, Compressor.ZLIB.id(), size, Compressor.ZLIB.compress(new byte[8])),
            ErrorCode.ProtocolError);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 7, 100, 255})
    void refusesUnknownCompressorIds(int id) {
        byte[] plain = Frames.opMsg(11, 0, Frames.body(PING));
        assertFatal(Frames.compressed(plain, id, plain.length - MsgHeader.SIZE, new byte[10]), ErrorCode.ProtocolError);
    }

    @ParameterizedTest
    @EnumSource(value = Compressor.class, names = {"SNAPPY", "ZLIB", "ZSTD"})
    void refusesCorruptCompressedData(Compressor compressor) {
        byte[] plain = Frames.opMsg(11, 0, Frames.body(PING));
        int size = plain.length - MsgHeader.SIZE;
        assertFatal(Frames.compressed(plain, compressor.id(), size, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}), ErrorCode.ProtocolError);
        assertFatal(Frames.compressed(plain, compressor.id(), size, new byte[0]), ErrorCode.ProtocolError);
        byte[] packed = compressor.compress(Arrays.copyOfRange(plain, MsgHeader.SIZE, plain.length));
        assertFatal(Frames.compressed(plain, compressor.id(), size, Arrays.copyOf(packed, packed.length / 2)), ErrorCode.ProtocolError);
    }

    @Test
    void refusesTooShortOpCompressed() {
        assertFatal(Frames.frame(1, 0, OpCode.OP_COMPRESSED.code(), new Out().i32(OpCode.OP_MSG.code()).i32(10).toBytes()),
            ErrorCode.ProtocolError);
    }

    @Test
    void refusesNestedOpCompressed() {
        byte[] inner = Frames.compressed(Frames.opMsg(11, 0, Frames.body(PING)), Compressor.ZLIB);
        assertFatal(Frames.compressed(inner, Compressor.ZLIB), ErrorCode.ProtocolError);
    }

    @Test
    void refusesCompressedOpReplyAndUnknownOpcodes() {
        byte[] reply = Frames.frame(1, 0, OpCode.OP_REPLY.code(), new Out().i32(0).i64(0).i32(0).i32(1).bytes(PING).toBytes());
        assertFatal(Frames.compressed(reply, Compressor.SNAPPY), ErrorCode.ProtocolError);
        assertFatal(Frames.compressed(Frames.frame(1, 0, 4242, Frames.body(PING)), Compressor.SNAPPY), ErrorCode.ProtocolError);
    }

    /** Errors inside the inflated message keep their own code, and both buffers are freed exactly once. */
    @ParameterizedTest
    @EnumSource(Compressor.class)
    void reportsErrorsInsideACompressedMessage(Compressor compressor) {
        byte[] bad = PING.clone();
        bad[bad.length - 1] = 3;
        ProtocolException e = refused(Frames.compressed(Frames.opMsg(11, 0, Frames.body(bad)), compressor), ErrorCode.InvalidBSON);
        assertFalse(e.fatal());
        refused(Frames.compressed(Frames.opMsg(11, 1 << 5, Frames.body(PING)), compressor), ErrorCode.IllegalOpMsgFlag);
        refused(Frames.compressed(Frames.opMsg(11, 0, Frames.body(PING), Frames.body(PING)), compressor),
            ErrorCode.MultipleBodySections);
    }

    // ---- robustness ---------------------------------------------------------------------------------------

    @Test
    void corruptedFramesOnlyEverRaiseProtocolExceptions() {
        List<byte[]> seeds = List.of(
            Frames.opMsg(1, 0, Frames.body(Bson.bytes(BsonValidatorTest.everyType())),
                Frames.sequence("documents", Bson.bytes("{a: 1}"), Bson.bytes("{b: 'two'}"))),
            Frames.opMsg(2, OpMsg.CHECKSUM_PRESENT, Frames.body(PING)),
            Frames.opQuery(3, 0, "admin.$cmd", 0, -1, Bson.bytes("{isMaster: 1}"), Bson.bytes("{x: 1}")),
            Frames.compressed(Frames.opMsg(4, 0, Frames.body(PING)), Compressor.SNAPPY),
            Frames.compressed(Frames.opMsg(5, 0, Frames.body(PING)), Compressor.ZLIB),
            Frames.compressed(Frames.opMsg(6, 0, Frames.body(PING)), Compressor.ZSTD));
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] frame = seeds.get(i % seeds.size()).clone();
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                // Leave the length alone most of the time so the mutation reaches the body.
                int at = random.nextInt(4) == 0 ? random.nextInt(frame.length) : 4 + random.nextInt(frame.length - 4);
                frame[at] = (byte) random.nextInt(256);
            }
            ByteBuf buf = Unpooled.copiedBuffer(frame);
            try {
                WireMessageDecoder.decode(buf).release();
            } catch (ProtocolException expected) {
                assertEquals(0, buf.refCnt());
            } catch (RuntimeException e) {
                fail("mutated frame " + i + " raised " + e, e);
            }
        }
    }

    private static byte[] bytesOf(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return b;
    }
}
