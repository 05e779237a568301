package io.shardstore.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDbPointer;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonJavaScript;
import org.bson.BsonJavaScriptWithScope;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonSymbol;
import org.bson.BsonTimestamp;
import org.bson.BsonUndefined;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shardstore.protocol.Bson.Out;

class BsonValidatorTest {

    private static final int MAX = WireLimits.MAX_BSON_OBJECT_SIZE;

    private static int validate(byte[] doc) {
        return BsonValidator.validate(Bson.buf(doc), 0, doc.length, MAX);
    }

    private static ProtocolException rejected(byte[] doc) {
        return assertThrows(ProtocolException.class, () -> validate(doc));
    }

    private static void assertInvalid(byte[] doc) {
        ProtocolException e = rejected(doc);
        assertEquals(ErrorCode.InvalidBSON, e.code(), e.getMessage());
        assertFalse(e.fatal(), "bad BSON inside a well-framed message does not end the connection");
    }

    /** A document holding every BSON type, as the Java driver encodes it. */
    static BsonDocument everyType() {
        return new BsonDocument()
            .append("double", new BsonDouble(1.5))
            .append("string", new BsonString("héllo wörld ✓"))
            .append("emptyString", new BsonString(""))
            .append("doc", new BsonDocument("x", new BsonInt32(1)).append("y", new BsonDocument()))
            .append("array", new BsonArray(List.of(new BsonInt32(1), new BsonString("two"), new BsonArray())))
            .append("binary", new BsonBinary(new byte[] {1, 2, 3}))
            .append("emptyBinary", new BsonBinary(new byte[0]))
            .append("uuid", new BsonBinary(BsonBinarySubType.UUID_STANDARD, new byte[16]))
            .append("md5", new BsonBinary(BsonBinarySubType.MD5, new byte[16]))
            .append("userBinary", new BsonBinary((byte) 0x80, new byte[] {9}))
            .append("undefined", new BsonUndefined())
            .append("oid", new BsonObjectId(new ObjectId()))
            .append("true", BsonBoolean.TRUE)
            .append("false", BsonBoolean.FALSE)
            .append("date", new BsonDateTime(1_700_000_000_000L))
            .append("null", BsonNull.VALUE)
            .append("regex", new BsonRegularExpression("^a.*b$", "im"))
            .append("dbPointer", new BsonDbPointer("db.coll", new ObjectId()))
            .append("js", new BsonJavaScript("function() { return 1; }"))
            .append("symbol", new BsonSymbol("sym"))
            .append("jsScope", new BsonJavaScriptWithScope("x + y", new BsonDocument("x", new BsonInt32(1))))
            .append("int32", new BsonInt32(-7))
            .append("timestamp", new BsonTimestamp(12, 34))
            .append("int64", new BsonInt64(Long.MIN_VALUE))
            .append("decimal", new BsonDecimal128(Decimal128.parse("3.14159")))
            .append("minKey", new BsonMinKey())
            .append("maxKey", new BsonMaxKey());
    }

    @Test
    void acceptsEveryBsonType() {
        byte[] doc = Bson.bytes(everyType());
        assertEquals(doc.length, validate(doc));
    }

    @Test
    void acceptsEmptyDocument() {
        assertEquals(5, validate(Bson.bytes(new BsonDocument())));
    }

    @Test
    void acceptsTypicalCommands() {
        for (String json : List.of(
            "{ping: 1, $db: 'admin'}",
            "{insert: 'c', documents: [{_id: 1, a: [1, 2, {b: null}]}], ordered: true, $db: 'test'}",
            "{find: 'c', filter: {a: {$gt: 5, $lt: {$numberLong: '9'}}}, sort: {a: -1}, $db: 'test'}")) {
            byte[] doc = Bson.bytes(json);
            assertEquals(doc.length, validate(doc), json);
        }
    }

    @Test
    void validatesAtAnOffsetAndReturnsTheDocumentLength() {
        byte[] doc = Bson.bytes("{a: 'x'}");
        ByteBuf buf = Unpooled.buffer().writeBytes(new byte[] {7, 7, 7}).writeBytes(doc).writeBytes(Bson.bytes("{b: 1}"));
        assertEquals(doc.length, BsonValidator.validate(buf, 3, buf.writerIndex(), MAX));
    }

    @Test
    void acceptsNestingUpToTheDepthLimit() {
        byte[] doc = Bson.nested(WireLimits.MAX_BSON_DEPTH);
        assertEquals(doc.length, validate(doc));
    }

    @Test
    void rejectsNestingBeyondTheDepthLimitAsOverflow() {
        for (int depth : new int[] {WireLimits.MAX_BSON_DEPTH + 1, 200, 1000}) {
            ProtocolException e = rejected(Bson.nested(depth));
            assertEquals(ErrorCode.Overflow, e.code(), "depth " + depth);
            assertEquals(15, e.code().code());
        }
    }

    @Test
    void deepArraysCountTowardsTheDepthLimit() {
        byte[] inner = Bson.doc(new byte[0]);
        for (int i = 1; i < 200; i++) {
            inner = Bson.doc(new Out().u8(0x04).cstring("0").bytes(inner).toBytes());
        }
        assertEquals(ErrorCode.Overflow, rejected(inner).code());
    }

    @Test
    void rejectsDeclaredSizeAboveTheLimitAsBsonObjectTooLarge() {
        byte[] doc = Bson.bytes("{a: 1}");
        ProtocolException e = assertThrows(ProtocolException.class,
            () -> BsonValidator.validate(Bson.buf(doc), 0, doc.length, doc.length - 1));
        assertEquals(ErrorCode.BSONObjectTooLarge, e.code());
        assertEquals(10334, e.code().code());
    }

    @Test
    void rejectsARealDocumentAboveSixteenMegabytes() {
        byte[] big = Bson.bytes(new BsonDocument("blob", new BsonBinary(new byte[MAX])));
        ProtocolException e = rejected(big);
        assertEquals(ErrorCode.BSONObjectTooLarge, e.code());
    }

    @Test
    void rejectsFewerThanFiveBytes() {
        assertInvalid(new byte[] {5, 0, 0, 0});
        assertInvalid(new byte[0]);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 4, Integer.MIN_VALUE})
    void rejectsDocumentLengthBelowFive(int length) {
        assertInvalid(new Out().i32(length).u8(0).toBytes());
    }

    @Test
    void rejectsDocumentLengthLongerThanTheBuffer() {
        byte[] doc = Bson.bytes("{a: 1}");
        doc[0] += 1;
        assertInvalid(doc);
    }

    @Test
    void rejectsDocumentLongerThanItsLimit() {
        byte[] doc = Bson.bytes("{a: 1}");
        assertThrows(ProtocolException.class, () -> BsonValidator.validate(Bson.buf(doc), 0, doc.length - 1, MAX));
    }

    @Test
    void rejectsMissingTerminatingZero() {
        byte[] doc = Bson.bytes("{a: 1}");
        doc[doc.length - 1] = 1;
        assertInvalid(doc);
    }

    @Test
    void rejectsTerminatorBeforeTheDeclaredEnd() {
        // {} followed by a spare byte inside the declared length
        assertInvalid(new Out().i32(6).u8(0).u8(0).toBytes());
    }

    @ParameterizedTest
    @ValueSource(ints = {0x14, 0x15, 0x20, 0x7E, 0x80, 0xFE})
    void rejectsUnknownElementTypes(int type) {
        assertInvalid(Bson.doc(new Out().u8(type).cstring("a").i32(1).toBytes()));
    }

    @Test
    void rejectsUnterminatedFieldName() {
        assertInvalid(Bson.doc(new Out().u8(0x0A).bytes(new byte[] {'a', 'b'}).toBytes()));
    }

    @Test
    void rejectsStringLengthBeyondTheDocument() {
        assertInvalid(Bson.doc(new Out().u8(0x02).cstring("s").i32(100).cstring("abc").toBytes()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -100})
    void rejectsStringLengthBelowOne(int length) {
        assertInvalid(Bson.doc(new Out().u8(0x02).cstring("s").i32(length).cstring("abc").toBytes()));
    }

    @Test
    void rejectsStringNotZeroTerminated() {
        assertInvalid(Bson.doc(new Out().u8(0x02).cstring("s").i32(3).bytes(new byte[] {'a', 'b', 'c'}).toBytes()));
    }

    @Test
    void rejectsTruncatedFixedSizeValues() {
        assertInvalid(Bson.doc(new Out().u8(0x01).cstring("d").i32(0).toBytes())); // double needs 8
        assertInvalid(Bson.doc(new Out().u8(0x10).cstring("i").u8(1).toBytes())); // int32 needs 4
        assertInvalid(Bson.doc(new Out().u8(0x07).cstring("o").i64(0).toBytes())); // ObjectId needs 12
        assertInvalid(Bson.doc(new Out().u8(0x13).cstring("n").i64(0).toBytes())); // decimal needs 16
    }

    @Test
    void rejectsBooleanOtherThanZeroOrOne() {
        assertInvalid(Bson.doc(new Out().u8(0x08).cstring("b").u8(2).toBytes()));
    }

    @Test
    void rejectsBadBinaryLengths() {
        assertInvalid(Bson.doc(new Out().u8(0x05).cstring("b").i32(-1).u8(0).toBytes()));
        assertInvalid(Bson.doc(new Out().u8(0x05).cstring("b").i32(50).u8(0).bytes(new byte[3]).toBytes()));
    }

    @Test
    void rejectsNestedDocumentOverrunningItsParent() {
        byte[] inner = Bson.bytes("{x: 1}");
        inner[0] += 3;
        assertInvalid(Bson.doc(new Out().u8(0x03).cstring("d").bytes(inner).bytes(new byte[3]).toBytes()));
    }

    @Test
    void rejectsCodeWithScopeWhoseLengthDoesNotMatch() {
        byte[] good = Bson.bytes(new BsonDocument("c", new BsonJavaScriptWithScope("x", new BsonDocument())));
        validate(good);
        // The code-with-scope total is right after the type byte and the "c\0" name.
        byte[] tooShort = good.clone();
        tooShort[7] = 10; // below the 14-byte minimum
        assertInvalid(tooShort);
        byte[] withSlack = Bson.doc(new Out().u8(0x0F).cstring("c")
            .i32(4 + 6 + 5 + 2).i32(2).cstring("x").bytes(Bson.doc(new byte[0])).u8(0).u8(0).toBytes());
        assertInvalid(withSlack);
    }

    @Test
    void rejectsUnterminatedRegexOptions() {
        assertInvalid(Bson.doc(new Out().u8(0x0B).cstring("r").cstring("abc").bytes(new byte[] {'i'}).toBytes()));
    }

    @Test
    void neverThrowsAnythingButProtocolExceptionOnCorruptedBytes() {
        byte[] good = Bson.bytes(everyType());
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 5_000; i++) {
            byte[] bad = good.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            }
            int limit = random.nextInt(10) == 0 ? random.nextInt(bad.length + 1) : bad.length;
            try {
                int size = BsonValidator.validate(Bson.buf(bad), 0, limit, MAX);
                assertEquals(Bson.le32(bad, 0), size);
            } catch (ProtocolException expected) {
                // the only acceptable failure
            }
        }
    }
}
