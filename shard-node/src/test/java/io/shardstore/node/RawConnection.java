package io.shardstore.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

import io.shardstore.protocol.Compressor;
import io.shardstore.protocol.OpCode;

/** A plain socket to the node that sends raw bytes and parses reply frames; every read times out after 5 s. */
final class RawConnection implements AutoCloseable {
    static final int READ_TIMEOUT_MILLIS = 5_000;
    private static final AtomicInteger REQUEST_IDS = new AtomicInteger(1000);

    /** A reply frame, inflated when it came as OP_COMPRESSED ({@code compressorId} is then set). */
    record Reply(int opCode, int requestId, int responseTo, int flags, BsonDocument doc, Integer compressorId) {
        int code() {
            return doc.containsKey("code") ? doc.getNumber("code").intValue() : 0;
        }

        boolean ok() {
            return doc.getNumber("ok").doubleValue() == 1.0;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    static int nextRequestId() {
        return REQUEST_IDS.incrementAndGet();
    }

    Socket socket() {
        return socket;
    }

    RawConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Half-closes: the node sees end of stream, as from a client that gave up mid-message. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** The next reply frame, or null when the node closed the connection before one started. */
    Reply read() throws IOException {
        byte[] header = new byte[WireBytes.HEADER];
        int first;
        try {
            first = in.read(header, 0, 1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no reply and no close within " + READ_TIMEOUT_MILLIS + " ms", e);
        }
        if (first < 0) {
            return null;
        }
        DataInputStream data = new DataInputStream(in);
        try {
            data.readFully(header, 1, WireBytes.HEADER - 1);
            int length = WireBytes.le32(header, 0);
            assertTrue(length >= WireBytes.HEADER && length <= 48_000_000, "reply length " + length);
            byte[] frame = Arrays.copyOf(header, length);
            data.readFully(frame, WireBytes.HEADER, length - WireBytes.HEADER);
            return parse(frame);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("reply frame incomplete after " + READ_TIMEOUT_MILLIS + " ms", e);
        } catch (EOFException e) {
            throw new AssertionError("connection closed in the middle of a reply frame", e);
        }
    }

    /** Reads a reply, which must come. */
    Reply reply() throws IOException {
        Reply r = read();
        assertNotNull(r, "the node closed the connection instead of replying");
        return r;
    }

    /** The node has closed the connection: the read ends with -1 (no reply, no reset, no timeout). */
    void assertClosedByNode() throws IOException {
        Reply r = read();
        assertNull(r, () -> "expected the connection to be closed, got a reply: " + r);
    }

    /** Sends a ping on this connection and asserts that its own reply comes back. */
    void assertPing() throws IOException {
        int id = nextRequestId();
        send(WireBytes.command(id, "{ping: 1, $db: 'admin'}"));
        Reply r = reply();
        assertEquals(id, r.responseTo(), "the next reply on the connection answers the ping");
        assertEquals(OpCode.OP_MSG.code(), r.opCode());
        assertTrue(r.ok(), () -> "ping failed: " + r.doc().toJson());
    }

    static Reply parse(byte[] frame) {
        int opCode = WireBytes.le32(frame, 12);
        int requestId = WireBytes.le32(frame, 4);
        int responseTo = WireBytes.le32(frame, 8);
        Integer compressorId = null;
        if (opCode == OpCode.OP_COMPRESSED.code()) {
            int original = WireBytes.le32(frame, 16);
            int size = WireBytes.le32(frame, 20);
            compressorId = frame[24] & 0xff;
            Compressor compressor = Compressor.byId(compressorId);
            assertNotNull(compressor, "reply compressed with unknown id " + compressorId);
            byte[] plain = compressor.decompress(Arrays.copyOfRange(frame, 25, frame.length), size);
            frame = new WireBytes.Out().i32(WireBytes.HEADER + plain.length).i32(requestId).i32(responseTo).i32(original)
                .bytes(plain).toBytes();
            opCode = original;
        }
        if (opCode == OpCode.OP_MSG.code()) {
            int flags = WireBytes.le32(frame, 16);
            int end = frame.length;
            if ((flags & WireBytes.CHECKSUM_PRESENT) != 0) {
                end -= 4;
                CRC32C crc = new CRC32C();
                crc.update(frame, 0, end);
                assertEquals((int) crc.getValue(), WireBytes.le32(frame, end), "reply checksum");
            }
            assertEquals(0, frame[20], "the reply's first section is its body");
            int size = WireBytes.le32(frame, 21);
            assertEquals(end, 21 + size, "the reply is exactly one body section");
            return new Reply(opCode, requestId, responseTo, flags, decode(Arrays.copyOfRange(frame, 21, end)), compressorId);
        }
        if (opCode == OpCode.OP_REPLY.code()) {
            int flags = WireBytes.le32(frame, 16);
            assertEquals(1, WireBytes.le32(frame, 32), "numberReturned");
            return new Reply(opCode, requestId, responseTo, flags, decode(Arrays.copyOfRange(frame, 36, frame.length)), compressorId);
        }
        fail("the node replied with opcode " + opCode);
        return null;
    }

    private static BsonDocument decode(byte[] bson) {
        return new RawBsonDocument(bson).decode(new BsonDocumentCodec());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
