package io.shardstore.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.shardstore.cluster.LocalCluster;
import io.shardstore.protocol.ProtocolException;
import io.shardstore.protocol.WireFrameDecoder;
import io.shardstore.protocol.WireMessageDecoder;
import io.shardstore.protocol.WireRequest;

/**
 * Fuzzing the wire decoder and the command layer with {@link WireMutator}'s inputs (issue 12). Bounded in
 * {@code mvn test} ({@code -Dfuzz.inputs}, 5,000 by default per target; the long run:
 * {@code -Dfuzz.inputs=1000000 -DargLine="-Dio.netty.leakDetection.level=paranoid"}, seed {@code -Dfuzz.seed}).
 * Found is: an exception from the decoder other than a ProtocolException; a well-framed input after which the
 * server neither answers a ping on the same connection nor closes it within 10 s (a hang); an InternalError (1)
 * reply, which means a failure no check caught (a crash); Netty reporting a leaked buffer; and another client's ping
 * failing meanwhile.
 */
class WireFuzzTest {
    private static final int INPUTS = Integer.getInteger("fuzz.inputs", 5_000);
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static LocalCluster cluster;
    private static ListAppender<ILoggingEvent> leaks;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().shards(1).start();
        leaks = new ListAppender<>();
        leaks.start();
        ((Logger) org.slf4j.LoggerFactory.getLogger("io.netty.util.ResourceLeakDetector")).addAppender(leaks);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void theDecoderRefusesWhatItCannotReadWithAProtocolError() {
        WireMutator mutator = new WireMutator(SEED);
        List<String> findings = new ArrayList<>();
        for (int i = 0; i < INPUTS * 10 && findings.size() < 5; i++) {
            byte[] input = mutator.next();
            EmbeddedChannel ch = new EmbeddedChannel(new WireFrameDecoder());
            try {
                ch.writeInbound(Unpooled.wrappedBuffer(input));
            } catch (DecoderException e) {
                if (!(e.getCause() instanceof ProtocolException)) {
                    findings.add("frame decoder threw " + e.getCause() + " on " + HexFormat.of().formatHex(input));
                }
            }
            for (ByteBuf frame; (frame = ch.readInbound()) != null; ) {
                // The request owns the frame (released with it); the decoder releases it itself when it refuses it.
                try {
                    WireRequest request = WireMessageDecoder.decode(frame);
                    request.release();
                } catch (ProtocolException refused) {
                    // the expected answer to garbage
                } catch (RuntimeException e) {
                    findings.add("message decoder threw " + e + " on " + HexFormat.of().formatHex(input));
                }
            }
            // A frame is a retained slice sharing its cumulation's count: leaks show in Netty's detector, not in refCnt().
            ch.finishAndReleaseAll();
        }
        assertEquals(List.of(), findings, "seed " + SEED);
    }

    @Test
    void theRouterAnswersOrClosesAfterEveryInputAndKeepsServingOthers() throws Exception {
        fuzzOverSockets(cluster.routerPort(), "router");
    }

    @Test
    void theShardNodeAnswersOrClosesAfterEveryInputAndKeepsServingOthers() throws Exception {
        fuzzOverSockets(cluster.shards().get(0).port(), "shard node");
    }

    private void fuzzOverSockets(int port, String target) throws Exception {
        WireMutator mutator = new WireMutator(SEED + port);
        List<String> findings = new ArrayList<>();
        long started = System.nanoTime();
        int answered = 0;
        int closed = 0;
        try (MongoClient other = MongoClients.create("mongodb://127.0.0.1:" + port + "/?directConnection=true&serverSelectionTimeoutMS=5000")) {
            Socket s = open(port);
            for (int i = 0; i < INPUTS && findings.size() < 5; i++) {
                byte[] input = mutator.next();
                boolean framed = input.length >= 16 && ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN).getInt(0) == input.length;
                try {
                    s.getOutputStream().write(input);
                    if (!framed) {
                        // The server waits for the rest of a message that will not come (or refuses the length): a client
                        // would give up on this connection, as this one does.
                        s.close();
                        s = open(port);
                        continue;
                    }
                    int pingId = 0x40000000 + i;
                    s.getOutputStream().write(WireMutator.opMsg(pingId, 0, WireMutator.bytes(WireMutator.doc("ping", 1)
                        .append("$db", new org.bson.BsonString("admin"))), null));
                    String crash = awaitPing(s, pingId);
                    if (crash != null) {
                        findings.add(target + " answered " + crash + " to " + HexFormat.of().formatHex(input));
                    }
                    answered++;
                } catch (SocketTimeoutException hang) {
                    findings.add(target + " neither answered nor closed within 10 s after " + HexFormat.of().formatHex(input));
                    s.close();
                    s = open(port);
                } catch (IOException closedByServer) {
                    closed++;
                    s.close();
                    s = open(port);
                }
                if (i % 500 == 0) {
                    other.getDatabase("admin").runCommand(new Document("ping", 1)); // another client is still served
                }
            }
            s.close();
            other.getDatabase("admin").runCommand(new Document("ping", 1));
        }
        System.gc();
        for (int i = 0; i < 1000; i++) {
            io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(64).release(); // lets the leak detector report
        }
        for (ILoggingEvent e : leaks.list) {
            if (e.getFormattedMessage().contains("LEAK")) {
                findings.add("Netty reported a leak: " + e.getFormattedMessage().lines().findFirst().orElse(""));
            }
        }
        System.out.printf("fuzz %s: %,d inputs (seed %d) in %.1f s: %,d answered, %,d connections closed by the server, %d findings%n",
            target, INPUTS, SEED, (System.nanoTime() - started) / 1e9, answered, closed, findings.size());
        assertEquals(List.of(), findings, "seed " + SEED);
        assertTrue(answered > INPUTS / 4, "most inputs reached the command layer: " + answered);
    }

    private static Socket open(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return s;
    }

    /**
     * Reads replies until the ping's; returns a description of an InternalError reply among them (a crash), else null.
     * Throws IOException when the server closes the connection, SocketTimeoutException when it does neither.
     */
    private static String awaitPing(Socket s, int pingId) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        String crash = null;
        while (true) {
            byte[] header = new byte[16];
            in.readFully(header);
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            int length = h.getInt(0);
            int responseTo = h.getInt(8);
            int opCode = h.getInt(12);
            if (length < 16 || length > 48_000_000) {
                throw new IOException("bad reply length " + length);
            }
            byte[] rest = new byte[length - 16];
            in.readFully(rest);
            if (opCode == 2013 && rest.length > 5) {
                RawBsonDocument reply = new RawBsonDocument(rest, 5, rest.length - 5);
                if (reply.isNumber("code") && reply.getNumber("code").intValue() == 1) {
                    crash = reply.toJson();
                }
            }
            if (responseTo == pingId) {
                return crash;
            }
        }
    }
}
