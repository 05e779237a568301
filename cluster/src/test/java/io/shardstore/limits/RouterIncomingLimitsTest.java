package io.shardstore.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.protocol.IncomingLimits;
import io.shardstore.router.Router;
import io.shardstore.router.RouterOptions;

/**
 * The router's incoming limits over real sockets (issue 12): connections past --maxConns are closed and counted, a
 * flood of connections announcing huge messages is cut off at the byte bound while another client's pings are
 * answered, and a message left half-sent is closed after the timeout; what was held is given back every time.
 */
class RouterIncomingLimitsTest {
    private static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().shards(1).start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static Router router(IncomingLimits limits) throws Router.RouterStartException {
        return Router.start(RouterOptions.of("127.0.0.1:" + cluster.configPort(), 0).withIncoming(limits));
    }

    @Test
    void connectionsPastMaxConnsAreClosedAndCounted() throws Exception {
        IncomingLimits limits = new IncomingLimits(3, IncomingLimits.defaultIncompleteBytes(), 60_000);
        try (Router router = router(limits)) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(new Socket("127.0.0.1", router.port()));
                }
                awaitTrue(() -> limits.current() == 3, "three connections counted");
                try (Socket extra = new Socket("127.0.0.1", router.port())) {
                    extra.setSoTimeout(10_000);
                    assertEquals(-1, extra.getInputStream().read(), "the fourth connection is closed by the router");
                }
                assertEquals(1, limits.refusedConnections());
                assertEquals(3, limits.current(), "a refused connection is not counted as open");
                held.remove(0).close();
                awaitTrue(() -> limits.current() == 2, "a closed connection frees its place");
                try (Socket next = new Socket("127.0.0.1", router.port())) {
                    assertTrue(ping(next), "a connection in the freed place is served");
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aFloodOfHugeAnnouncedMessagesIsCutOffWhileOthersAreServed() throws Exception {
        long bound = 4L * 1024 * 1024;
        IncomingLimits limits = new IncomingLimits(IncomingLimits.DEFAULT_MAX_CONNECTIONS, bound, 60_000);
        try (Router router = router(limits);
             MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + router.port() + "/?serverSelectionTimeoutMS=5000")) {
            client.getDatabase("admin").runCommand(new Document("ping", 1));
            int attackers = 40;
            int sent = 512 * 1024;
            List<Socket> flood = new ArrayList<>();
            int cut = 0;
            long slowestPing = 0;
            try {
                for (int i = 0; i < attackers; i++) {
                    Socket s = new Socket("127.0.0.1", router.port());
                    flood.add(s);
                    if (!announceAndSend(s, 47_000_000, sent)) {
                        cut++;
                    }
                    long t0 = System.nanoTime();
                    client.getDatabase("admin").runCommand(new Document("ping", 1));
                    slowestPing = Math.max(slowestPing, System.nanoTime() - t0);
                }
                // At most bound / sent connections (plus the one that went over) can hold half a message.
                long mayHold = bound / sent + 1;
                awaitTrue(() -> limits.closedForBytesCount() >= attackers - mayHold, "connections over the bound are closed");
                assertTrue(limits.incompleteBytes() <= bound + sent, "held " + limits.incompleteBytes());
                assertTrue(cut > 0 || limits.closedForBytesCount() > 0, "the flood was cut");
                assertTrue(TimeUnit.NANOSECONDS.toMillis(slowestPing) < 2_000, "pings kept being answered, slowest "
                    + TimeUnit.NANOSECONDS.toMillis(slowestPing) + " ms");
                Document status = client.getDatabase("admin").runCommand(new Document("serverStatus", 1));
                Document incomplete = status.get("connections", Document.class).get("incompleteMessages", Document.class);
                assertEquals(limits.closedForBytesCount(), incomplete.getLong("closedOverBytes"));
            } finally {
                for (Socket s : flood) {
                    s.close();
                }
            }
            awaitTrue(() -> limits.incompleteBytes() == 0, "every held byte is given back when the attackers leave");
            client.getDatabase("admin").runCommand(new Document("ping", 1));
        }
    }

    @Test
    void aMessageLeftHalfSentIsClosedAfterTheTimeout() throws Exception {
        IncomingLimits limits = new IncomingLimits(IncomingLimits.DEFAULT_MAX_CONNECTIONS, IncomingLimits.defaultIncompleteBytes(), 300);
        try (Router router = router(limits);
             Socket stalled = new Socket("127.0.0.1", router.port());
             Socket steady = new Socket("127.0.0.1", router.port())) {
            stalled.setSoTimeout(10_000);
            assertTrue(announceAndSend(stalled, 1_000, 100));
            awaitTrue(() -> limits.incompleteBytes() == 100, "the half message is held");
            assertEquals(-1, stalled.getInputStream().read(), "closed after the timeout");
            assertEquals(1, limits.closedForIdlenessCount());
            awaitTrue(() -> limits.incompleteBytes() == 0, "its bytes are given back");
            assertTrue(ping(steady), "another connection is served");
        }
    }

    /** Writes a header announcing {@code length} bytes, then {@code bytes} of them; false if the router closed first. */
    private static boolean announceAndSend(Socket s, int length, int bytes) {
        try {
            OutputStream out = s.getOutputStream();
            ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(length).putInt(1).putInt(0).putInt(2013);
            out.write(header.array());
            byte[] chunk = new byte[64 * 1024];
            for (int left = bytes - 16; left > 0; left -= chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, left));
            }
            out.flush();
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    /** A ping as raw OP_MSG on a plain socket; true when an OP_MSG reply comes. */
    private static boolean ping(Socket s) throws IOException {
        byte[] body = bytes(new BsonDocument("ping", new BsonInt32(1)).append("$db", new BsonString("admin")));
        ByteBuffer frame = ByteBuffer.allocate(21 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        frame.putInt(21 + body.length).putInt(7).putInt(0).putInt(2013).putInt(0).put((byte) 0).put(body);
        s.setSoTimeout(10_000);
        s.getOutputStream().write(frame.array());
        InputStream in = s.getInputStream();
        byte[] header = in.readNBytes(16);
        return header.length == 16 && ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(12) == 2013;
    }

    private static byte[] bytes(BsonDocument doc) {
        RawBsonDocument raw = new RawBsonDocument(doc, new BsonDocumentCodec());
        ByteBuffer bb = raw.getByteBuffer().asNIO();
        byte[] out = new byte[bb.remaining()];
        bb.get(out);
        return out;
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
