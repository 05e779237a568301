package io.shardstore.node;

import static io.shardstore.node.WireBytes.body;
import static io.shardstore.node.WireBytes.bson;
import static io.shardstore.node.WireBytes.command;
import static io.shardstore.node.WireBytes.compressed;
import static io.shardstore.node.WireBytes.doc;
import static io.shardstore.node.WireBytes.frame;
import static io.shardstore.node.WireBytes.opMsg;
import static io.shardstore.node.WireBytes.opQuery;
import static io.shardstore.node.WireBytes.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.shardstore.node.RawConnection.Reply;
import io.shardstore.node.WireBytes.Out;
import io.shardstore.node.server.RequestHandler;
import io.shardstore.protocol.Compressor;
import io.shardstore.protocol.OpCode;
import io.shardstore.protocol.WireLimits;

/**
 * Malformed input over raw sockets. For each kind the node must answer with MongoDB's error (and close the
 * connection when the stream can no longer be trusted), log it, and go on serving: a connection opened before
 * keeps working, and a fresh driver client can still ping, insert and find.
 */
class BadInputTest {
    private static final int PROTOCOL_ERROR = 17;
    private static final int INVALID_BSON = 22;
    private static final int QUERY_FAILURE = 2;
    private static final byte[] PING = bson("{ping: 1, $db: 'admin'}");

    private static ShardNode node;
    private static int port;
    private static MongoClient longLivedClient;
    private static ListAppender<ILoggingEvent> logs;
    private static Logger handlerLogger;

    /** A raw connection opened and used before the bad input of each test. */
    private RawConnection before;

    @BeforeAll
    static void startNode() throws Exception {
        handlerLogger = (Logger) LoggerFactory.getLogger(RequestHandler.class);
        logs = new ListAppender<>();
        logs.start();
        handlerLogger.addAppender(logs);
        node = ShardNode.start(NodeOptions.inMemory(0));
        port = node.port();
        longLivedClient = MongoClients.create(uri(""));
        longLivedClient.getDatabase("admin").runCommand(new Document("ping", 1));
    }

    @AfterAll
    static void stopNode() {
        if (longLivedClient != null) {
            longLivedClient.close();
        }
        if (node != null) {
            node.close();
        }
        handlerLogger.detachAppender(logs);
    }

    static String uri(String options) {
        return "mongodb://127.0.0.1:" + port + "/?directConnection=true&serverSelectionTimeoutMS=5000"
            + "&connectTimeoutMS=5000&socketTimeoutMS=5000" + options;
    }

    @BeforeEach
    void openGoodConnection() throws IOException {
        synchronized (logs) {
            logs.list.clear();
        }
        before = new RawConnection(port);
        before.assertPing();
    }

    @AfterEach
    void nodeKeepsServing() throws IOException {
        try {
            before.assertPing();
        } finally {
            before.close();
        }
        longLivedClient.getDatabase("admin").runCommand(new Document("ping", 1));
        assertDriverWorks(uri(""));
        assertNoConnectionDroppedOnAnUnexpectedError();
    }

    /**
     * Malformed input must be answered by design (an error reply, or a close after one); a connection
     * dropped because some other exception escaped the handler means a case nobody handled.
     */
    private static void assertNoConnectionDroppedOnAnUnexpectedError() {
        synchronized (logs) {
            for (ILoggingEvent e : logs.list) {
                String msg = e.getFormattedMessage();
                if (msg.contains("closed on error") && !msg.contains("Connection reset")) {
                    throw new AssertionError("a connection was dropped on an unexpected error: " + msg);
                }
            }
        }
    }

    static void assertDriverWorks(String uri) {
        try (MongoClient client = MongoClients.create(uri)) {
            assertEquals(1.0, client.getDatabase("admin").runCommand(new Document("ping", 1)).get("ok", Number.class).doubleValue());
            MongoCollection<Document> coll = client.getDatabase("badinput").getCollection("after");
            String id = UUID.randomUUID().toString();
            coll.insertOne(new Document("_id", id).append("n", 1));
            Document found = coll.find(Filters.eq("_id", id)).first();
            assertNotNull(found, "the document just inserted is found");
            assertEquals(1, found.getInteger("n"));
        }
    }

    // ---- expectations ----------------------------------------------------------------------------------

    private static void assertErrorReply(Reply r, int responseTo, int code) {
        assertEquals(OpCode.OP_MSG.code(), r.opCode(), "error replies to OP_MSG are OP_MSG");
        assertEquals(responseTo, r.responseTo());
        assertFalse(r.ok(), () -> "expected an error, got " + r.doc().toJson());
        assertEquals(code, r.code(), () -> r.doc().toJson());
        assertTrue(r.doc().isString("errmsg") && !r.doc().getString("errmsg").getValue().isEmpty());
        assertTrue(r.doc().isString("codeName"));
    }

    /** An error reply, then the node closes the connection. */
    private static Reply expectFatal(RawConnection c, int responseTo, int code) throws IOException {
        Reply r = c.reply();
        assertErrorReply(r, responseTo, code);
        c.assertClosedByNode();
        assertLogged(Level.WARN, "malformed");
        return r;
    }

    /** An error reply, and the connection stays usable. */
    private static Reply expectError(RawConnection c, int responseTo, int code) throws IOException {
        Reply r = c.reply();
        assertErrorReply(r, responseTo, code);
        c.assertPing();
        return r;
    }

    /** An OP_REPLY with QueryFailure, as legacy clients expect, and the connection stays usable. */
    private static void expectQueryFailure(RawConnection c, int responseTo, int code) throws IOException {
        Reply r = c.reply();
        assertEquals(OpCode.OP_REPLY.code(), r.opCode(), () -> "expected OP_REPLY, got " + r);
        assertEquals(responseTo, r.responseTo());
        assertEquals(QUERY_FAILURE, r.flags() & QUERY_FAILURE, "QueryFailure flag");
        assertFalse(r.ok());
        assertEquals(code, r.code(), () -> r.doc().toJson());
        assertTrue(r.doc().isString("$err"));
        c.assertPing();
    }

    private static void assertLogged(Level level, String fragment) {
        synchronized (logs) {
            for (ILoggingEvent e : logs.list) {
                if (e.getLevel() == level && e.getFormattedMessage().contains(fragment)) {
                    return;
                }
            }
            List<String> seen = logs.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
            throw new AssertionError("no " + level + " log line containing '" + fragment + "' among " + seen);
        }
    }

    private static void assertLoggedCode(String codeName) {
        assertLogged(Level.WARN, codeName);
    }

    private static int id() {
        return RawConnection.nextRequestId();
    }

    // ---- framing ---------------------------------------------------------------------------------------

    @Test
    void truncatedHeaderThenClose() throws IOException {
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(Arrays.copyOf(command(id(), "{ping: 1, $db: 'admin'}"), 10));
            bad.shutdownOutput();
            bad.assertClosedByNode();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 8, 15, -1, Integer.MIN_VALUE})
    void messageLengthBelowHeaderSize(int length) throws IOException {
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(new Out().i32(length).i32(id()).i32(0).i32(OpCode.OP_MSG.code()).toBytes());
            expectFatal(bad, 0, PROTOCOL_ERROR);
            assertLogged(Level.WARN, "message length " + length);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {WireLimits.MAX_MESSAGE_SIZE_BYTES + 1, 100_000_000, Integer.MAX_VALUE})
    void messageLengthAboveMaxMessageSize(int length) throws IOException {
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(new Out().i32(length).i32(id()).i32(0).i32(OpCode.OP_MSG.code()).toBytes());
            expectFatal(bad, 0, PROTOCOL_ERROR);
        }
    }

    @Test
    void messageLengthLargerThanTheBytesSentThenClose() throws IOException {
        byte[] ping = command(id(), "{ping: 1, $db: 'admin'}");
        byte[] lying = ping.clone();
        lying[0] = (byte) 200; // claims 200 bytes; only ping.length are sent
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(lying);
            bad.shutdownOutput();
            bad.assertClosedByNode();
        }
    }

    @Test
    void abortiveCloseInTheMiddleOfAFrame() throws IOException {
        RawConnection bad = new RawConnection(port);
        bad.send(Arrays.copyOf(command(id(), "{insert: 'c', documents: [{a: 1}], $db: 'badinput'}"), 30));
        bad.socket().setSoLinger(true, 0); // close with a reset
        bad.close();
    }

    @Test
    void headerOnlyMessage() throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(frame(id, OpCode.OP_MSG.code(), new byte[0]));
            expectFatal(bad, id, PROTOCOL_ERROR);
            assertLoggedCode("ProtocolError");
        }
    }

    @Test
    void badCrc32cChecksum() throws IOException {
        int id = id();
        byte[] msg = opMsg(id, WireBytes.CHECKSUM_PRESENT, body(PING));
        msg[msg.length - 2] ^= 0x40;
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(msg);
            expectFatal(bad, id, 288);
            assertLoggedCode("ChecksumMismatch");
        }
    }

    @Test
    void goodChecksumIsAnsweredWithAChecksum() throws IOException {
        int id = id();
        try (RawConnection good = new RawConnection(port)) {
            good.send(opMsg(id, WireBytes.CHECKSUM_PRESENT, body(PING)));
            Reply r = good.reply(); // RawConnection.parse verifies the reply's CRC-32C
            assertEquals(id, r.responseTo());
            assertTrue(r.ok());
            assertEquals(WireBytes.CHECKSUM_PRESENT, r.flags() & WireBytes.CHECKSUM_PRESENT);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1000, 2003, 2010, 2011, 9999, -5})
    void unknownOpcode(int opCode) throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(frame(id, opCode, new Out().i32(0).bytes(body(PING)).toBytes()));
            expectFatal(bad, id, PROTOCOL_ERROR);
        }
    }

    @Test
    void opReplySentByAClient() throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(frame(id, OpCode.OP_REPLY.code(), new Out().i32(0).i64(0).i32(0).i32(1).bytes(PING).toBytes()));
            expectFatal(bad, id, PROTOCOL_ERROR);
        }
    }

    /** The stream cannot be trusted after a fatal error: a request pipelined behind it is not run. */
    @Test
    void requestPipelinedAfterAFatalErrorIsNotAnswered() throws IOException {
        int badId = id();
        byte[] unknownOp = frame(badId, 4242, new Out().i32(0).bytes(body(PING)).toBytes());
        byte[] insert = command(id(), "{insert: 'pipelined', documents: [{_id: 'must-not-exist'}], $db: 'badinput'}");
        try (RawConnection bad = new RawConnection(port)) {
            byte[] both = new Out().bytes(unknownOp).bytes(insert).toBytes();
            bad.send(both);
            expectFatal(bad, badId, PROTOCOL_ERROR);
        }
        try (MongoClient client = MongoClients.create(uri(""))) {
            assertEquals(0, client.getDatabase("badinput").getCollection("pipelined").countDocuments());
        }
    }

    @Test
    void garbageAfterABadLengthIsIgnored() throws IOException {
        try (RawConnection bad = new RawConnection(port)) {
            byte[] badHeader = new Out().i32(3).i32(id()).i32(0).i32(OpCode.OP_MSG.code()).toBytes();
            bad.send(new Out().bytes(badHeader).bytes(command(id(), "{ping: 1, $db: 'admin'}")).toBytes());
            expectFatal(bad, 0, PROTOCOL_ERROR);
        }
    }

    // ---- OP_MSG structure ------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 8, 15})
    void opMsgWithUnknownRequiredFlagBit(int bit) throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(opMsg(id, 1 << bit, body(PING)));
            expectFatal(bad, id, 223);
            assertLoggedCode("IllegalOpMsgFlag");
        }
    }

    @Test
    void opMsgWithUnknownOptionalFlagBitIsServed() throws IOException {
        int id = id();
        try (RawConnection ok = new RawConnection(port)) {
            ok.send(opMsg(id, (1 << 16) | (1 << 24), body(PING)));
            Reply r = ok.reply();
            assertEquals(id, r.responseTo());
            assertTrue(r.ok());
        }
    }

    @Test
    void unknownSectionKind() throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(opMsg(id, 0, body(PING), new Out().u8(2).bytes(bson("{a: 1}")).toBytes()));
            expectFatal(bad, id, 40432);
            assertLoggedCode("Location40432");
        }
    }

    @Test
    void noBodySection() throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(opMsg(id, 0, sequence("documents", bson("{a: 1}"), bson("{b: 1}"))));
            expectFatal(bad, id, 40587);
        }
    }

    @Test
    void twoBodySections() throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(opMsg(id, 0, body(PING), body(PING)));
            expectFatal(bad, id, 40430);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 4, 100_000})
    void documentSequenceWithBadSize(int size) throws IOException {
        int id = id();
        byte[] seq = sequence("documents", bson("{_id: 1}"));
        byte[] lied = new Out().u8(1).i32(size).bytes(Arrays.copyOfRange(seq, 5, seq.length)).toBytes();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(opMsg(id, 0, body(bson("{insert: 'c', $db: 'badinput'}")), lied));
            expectFatal(bad, id, PROTOCOL_ERROR);
        }
    }

    @Test
    void duplicateDocumentSequence() throws IOException {
        int id = id();
        byte[] seq = sequence("documents", bson("{_id: 1}"));
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(opMsg(id, 0, body(bson("{insert: 'c', $db: 'badinput'}")), seq, seq));
            expectFatal(bad, id, PROTOCOL_ERROR);
        }
    }

    @Test
    void documentSequenceAlsoPresentInTheBody() throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(opMsg(id, 0, body(bson("{insert: 'c', documents: [], $db: 'badinput'}")),
                sequence("documents", bson("{_id: 1}"))));
            expectError(bad, id, 2); // BadValue
        }
    }

    // ---- BSON ------------------------------------------------------------------------------------------

    private static void sendBadBody(byte[] badDoc, int expectedCode) throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(opMsg(id, 0, body(badDoc)));
            expectError(bad, id, expectedCode);
        }
    }

    @Test
    void bsonLengthLargerThanItsSection() throws IOException {
        byte[] doc = PING.clone();
        doc[0] += 16;
        sendBadBody(doc, INVALID_BSON);
        assertLoggedCode("InvalidBSON");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 0, -1})
    void bsonLengthBelowFive(int length) throws IOException {
        byte[] doc = PING.clone();
        doc[0] = (byte) length;
        doc[1] = doc[2] = doc[3] = (byte) (length < 0 ? 0xff : 0);
        sendBadBody(doc, INVALID_BSON);
    }

    @Test
    void missingTerminatingZero() throws IOException {
        byte[] doc = PING.clone();
        doc[doc.length - 1] = 'x';
        sendBadBody(doc, INVALID_BSON);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x14, 0x20, 0x80, 0xEE})
    void unknownBsonElementType(int type) throws IOException {
        sendBadBody(doc(new Out().u8(0x10).cstring("ping").i32(1).u8(type).cstring("x").i32(0)
            .u8(0x02).cstring("$db").i32(6).cstring("admin").toBytes()), INVALID_BSON);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5, 7, 1000})
    void stringWithBadLength(int length) throws IOException {
        sendBadBody(doc(new Out().u8(0x10).cstring("ping").i32(1)
            .u8(0x02).cstring("$db").i32(length).cstring("admin").toBytes()), INVALID_BSON);
    }

    @Test
    void stringNotZeroTerminated() throws IOException {
        sendBadBody(doc(new Out().u8(0x10).cstring("ping").i32(1)
            .u8(0x02).cstring("$db").i32(5).bytes("admin".getBytes()).toBytes()), INVALID_BSON);
    }

    @Test
    void unterminatedFieldName() throws IOException {
        sendBadBody(doc(new Out().u8(0x10).cstring("ping").i32(1).u8(0x0A).bytes("abc".getBytes()).toBytes()), INVALID_BSON);
    }

    @Test
    void invalidBooleanByte() throws IOException {
        sendBadBody(doc(new Out().u8(0x10).cstring("ping").i32(1).u8(0x08).cstring("b").u8(7)
            .u8(0x02).cstring("$db").i32(6).cstring("admin").toBytes()), INVALID_BSON);
    }

    @Test
    void nestingTwoHundredDeep() throws IOException {
        sendBadBody(WireBytes.nestedCommand(200), 15);
        assertLoggedCode("Overflow");
    }

    @Test
    void nestingAtTheLimitIsServed() throws IOException {
        // ping's body counts as one level, so the nested part may have one level less than the limit
        int id = id();
        try (RawConnection ok = new RawConnection(port)) {
            ok.send(opMsg(id, 0, body(WireBytes.nestedCommand(WireLimits.MAX_BSON_DEPTH - 1))));
            Reply r = ok.reply();
            assertTrue(r.ok(), () -> r.doc().toJson());
        }
    }

    @Test
    void oversizeCommandDocument() throws IOException {
        byte[] big = bson(new BsonDocument("insert", new BsonString("big"))
            .append("pad", new BsonBinary(new byte[WireLimits.MAX_COMMAND_OBJECT_SIZE]))
            .append("$db", new BsonString("badinput")));
        sendBadBody(big, 10334);
        assertLoggedCode("BSONObjectTooLarge");
    }

    @Test
    void oversizeDocumentInASequence() throws IOException {
        int id = id();
        byte[] big = bson(new BsonDocument("_id", new BsonString("big"))
            .append("pad", new BsonBinary(new byte[WireLimits.MAX_BSON_OBJECT_SIZE])));
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(opMsg(id, 0, body(bson("{insert: 'big', $db: 'badinput'}")), sequence("documents", big)));
            expectError(bad, id, 10334);
        }
    }

    @Test
    void badDocumentInASequence() throws IOException {
        int id = id();
        byte[] broken = bson("{_id: 2}");
        broken[broken.length - 1] = 9;
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(opMsg(id, 0, body(bson("{insert: 'c', $db: 'badinput'}")), sequence("documents", bson("{_id: 1}"), broken)));
            expectError(bad, id, INVALID_BSON);
        }
    }

    // ---- command shape ---------------------------------------------------------------------------------

    @Test
    void opMsgWithoutDb() throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(command(id, "{ping: 1}"));
            Reply r = expectError(bad, id, 40571);
            assertEquals("OP_MSG requests require a $db argument", r.doc().getString("errmsg").getValue());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{ping: 1, $db: 1}", "{ping: 1, $db: ''}", "{ping: 1, $db: null}"})
    void opMsgWithBadDb(String json) throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(command(id, json));
            expectError(bad, id, 9);
        }
    }

    @Test
    void emptyCommandDocument() throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(command(id, "{}"));
            expectError(bad, id, 9);
        }
    }

    /** A moreToCome client reads no reply, so a non-fatal error must not produce one. */
    @Test
    void moreToComeWithoutDbGetsNoReply() throws IOException {
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(opMsg(id(), WireBytes.MORE_TO_COME, body(bson("{insert: 'c', documents: [{_id: 1}]}"))));
            bad.assertPing(); // the next reply on the connection must be the ping's
            assertLoggedCode("Location40571");
        }
    }

    @Test
    void moreToComeWithBadBsonGetsNoReply() throws IOException {
        byte[] doc = bson("{insert: 'c', documents: [{_id: 1}], $db: 'badinput'}");
        doc[doc.length - 1] = 1;
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(opMsg(id(), WireBytes.MORE_TO_COME, body(doc)));
            bad.assertPing();
        }
    }

    // ---- legacy opcodes --------------------------------------------------------------------------------

    @Test
    void opQueryForFind() throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(opQuery(id, "badinput.$cmd", bson("{find: 'c', filter: {}}")));
            expectQueryFailure(bad, id, 352);
            assertLogged(Level.INFO, "OP_QUERY command: find");
        }
    }

    @Test
    void opQueryOnACollection() throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(opQuery(id, "badinput.c", bson("{a: 1}")));
            expectQueryFailure(bad, id, 352);
        }
    }

    @Test
    void opQueryHandshakeWithBadBson() throws IOException {
        int id = id();
        byte[] isMaster = bson("{isMaster: 1, helloOk: true}");
        isMaster[isMaster.length - 1] = 1;
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(opQuery(id, "admin.$cmd", isMaster));
            expectQueryFailure(bad, id, INVALID_BSON);
        }
    }

    @Test
    void opQueryHandshakeIsServed() throws IOException {
        int id = id();
        try (RawConnection ok = new RawConnection(port)) {
            ok.send(opQuery(id, "admin.$cmd", bson("{isMaster: 1, helloOk: true}")));
            Reply r = ok.reply();
            assertEquals(OpCode.OP_REPLY.code(), r.opCode());
            assertEquals(0, r.flags() & QUERY_FAILURE);
            assertTrue(r.ok());
            assertTrue(r.doc().getBoolean("ismaster").getValue());
        }
    }

    @Test
    void legacyOpInsertGetsNoReply() throws IOException {
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(frame(id(), OpCode.OP_INSERT.code(), new Out().i32(0).cstring("badinput.legacy").bytes(bson("{_id: 1}")).toBytes()));
            bad.assertPing();
            assertLogged(Level.INFO, "OP_INSERT");
        }
        try (MongoClient client = MongoClients.create(uri(""))) {
            assertEquals(0, client.getDatabase("badinput").getCollection("legacy").countDocuments(), "OP_INSERT wrote nothing");
        }
    }

    @ParameterizedTest
    @EnumSource(value = OpCode.class, names = {"OP_UPDATE", "OP_DELETE", "OP_KILL_CURSORS"})
    void otherRemovedOpcodesGetNoReply(OpCode op) throws IOException {
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(frame(id(), op.code(), new Out().i32(0).cstring("badinput.legacy").i32(0).bytes(bson("{}")).toBytes()));
            bad.assertPing();
        }
    }

    @Test
    void legacyOpGetMore() throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(frame(id, OpCode.OP_GET_MORE.code(), new Out().i32(0).cstring("badinput.c").i32(10).i64(12345).toBytes()));
            expectQueryFailure(bad, id, 352);
        }
    }

    // ---- OP_COMPRESSED ---------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {4, 9, 255})
    void opCompressedWithUnknownCompressor(int compressorId) throws IOException {
        int id = id();
        byte[] ping = opMsg(id, 0, body(PING));
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(compressed(ping, compressorId, ping.length - 16, Arrays.copyOfRange(ping, 16, ping.length)));
            expectFatal(bad, id, PROTOCOL_ERROR);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compressor.class, names = {"SNAPPY", "ZLIB", "ZSTD"})
    void opCompressedWithWrongUncompressedSize(Compressor compressor) throws IOException {
        for (int delta : new int[] {-1, 1, 1000}) {
            int id = id();
            byte[] ping = opMsg(id, 0, body(PING));
            byte[] packed = compressor.compress(Arrays.copyOfRange(ping, 16, ping.length));
            try (RawConnection bad = new RawConnection(port)) {
                bad.send(compressed(ping, compressor.id(), ping.length - 16 + delta, packed));
                expectFatal(bad, id, PROTOCOL_ERROR);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compressor.class, names = {"SNAPPY", "ZLIB", "ZSTD"})
    void opCompressedWithCorruptPayload(Compressor compressor) throws IOException {
        int id = id();
        byte[] ping = opMsg(id, 0, body(PING));
        byte[] garbage = new byte[40];
        new Random(compressor.id()).nextBytes(garbage);
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(compressed(ping, compressor.id(), ping.length - 16, garbage));
            expectFatal(bad, id, PROTOCOL_ERROR);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compressor.class, names = {"SNAPPY", "ZLIB", "ZSTD"})
    void compressedMessageWithBadBson(Compressor compressor) throws IOException {
        int id = id();
        byte[] doc = PING.clone();
        doc[doc.length - 1] = 5;
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(compressed(opMsg(id, 0, body(doc)), compressor));
            expectError(bad, id, INVALID_BSON);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compressor.class, names = {"SNAPPY", "ZLIB", "ZSTD"})
    void compressedMessageWithoutDbIsAnsweredCompressed(Compressor compressor) throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(compressed(command(id, "{ping: 1}"), compressor));
            Reply r = expectError(bad, id, 40571);
            assertEquals(compressor.id(), r.compressorId(), "the error reply is compressed like the request");
        }
    }

    @Test
    void opCompressedInsideOpCompressed() throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(compressed(compressed(opMsg(id, 0, body(PING)), Compressor.ZLIB), Compressor.SNAPPY));
            expectFatal(bad, id, PROTOCOL_ERROR);
        }
    }

    @Test
    void opCompressedTooShort() throws IOException {
        int id = id();
        try (RawConnection bad = new RawConnection(port)) {
            bad.send(frame(id, OpCode.OP_COMPRESSED.code(), new Out().i32(OpCode.OP_MSG.code()).i32(5).toBytes()));
            expectFatal(bad, id, PROTOCOL_ERROR);
        }
    }

    // ---- everything at once ----------------------------------------------------------------------------

    /**
     * Randomly corrupted copies of good requests, each on its own connection that is half-closed after
     * sending: the node must answer with well-formed replies (RawConnection.parse checks them) and close.
     */
    @Test
    void randomlyCorruptedRequests() throws IOException {
        List<byte[]> seeds = new ArrayList<>(List.of(
            command(1, "{ping: 1, $db: 'admin'}"),
            opMsg(2, WireBytes.CHECKSUM_PRESENT, body(bson("{find: 'fuzz', filter: {a: {$gt: 1}}, $db: 'badinput'}"))),
            opMsg(3, 0, body(bson("{insert: 'fuzz', $db: 'badinput'}")),
                sequence("documents", bson("{a: 1, s: 'x', d: {e: [1, 2.5, null, true]}}"), bson("{a: 2}"))),
            opQuery(4, "admin.$cmd", bson("{isMaster: 1, compression: ['zlib']}"))));
        for (Compressor c : List.of(Compressor.SNAPPY, Compressor.ZLIB, Compressor.ZSTD)) {
            seeds.add(compressed(seeds.get(2), c));
        }
        Random random = new Random(20240613);
        for (int i = 0; i < 150; i++) {
            byte[] frame = seeds.get(i % seeds.size()).clone();
            for (int f = 1 + random.nextInt(3); f > 0; f--) {
                int at = random.nextInt(5) == 0 ? random.nextInt(frame.length) : 4 + random.nextInt(frame.length - 4);
                frame[at] = (byte) random.nextInt(256);
            }
            try (RawConnection bad = new RawConnection(port)) {
                bad.send(frame);
                bad.shutdownOutput();
                int replies = 0;
                while (bad.read() != null) {
                    replies++;
                }
                assertTrue(replies <= 1, "one request, at most one reply (mutation " + i + ")");
            }
        }
    }
}
