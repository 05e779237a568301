package io.shardstore.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.shardstore.protocol.Bson.Out;

/** {@link IncomingLimits} as {@link ConnectionLimit} and {@link WireFrameDecoder} apply them, one channel at a time. */
class IncomingLimitsTest {
    private static final int MIB = 1024 * 1024;
    private static final byte[] PING = Frames.opMsg(1, 0, Frames.body(Bson.bytes("{ping: 1, $db: 'admin'}")));

    /** The header of a message announcing {@code length} bytes, then {@code bytes - 16} zero bytes of it. */
    private static ByteBuf partial(int length, int bytes) {
        ByteBuf buf = Unpooled.buffer(bytes);
        buf.writeBytes(new Out().i32(length).i32(1).i32(0).i32(2013).toBytes());
        buf.writeZero(bytes - 16);
        return buf;
    }

    private static EmbeddedChannel channel(IncomingLimits limits) {
        return new EmbeddedChannel(new ConnectionLimit(limits), new WireFrameDecoder(limits));
    }

    @Test
    void theConnectionThatTakesTheTotalOverTheBoundIsClosedAndOthersKeepTheirs() {
        IncomingLimits limits = new IncomingLimits(100, MIB, 60_000);
        EmbeddedChannel first = channel(limits);
        EmbeddedChannel second = channel(limits);
        first.writeInbound(partial(40_000_000, 700 * 1024));
        assertEquals(700 * 1024, limits.incompleteBytes());
        second.writeInbound(partial(40_000_000, 700 * 1024));
        assertFalse(second.isOpen(), "the second message took the total over 1 MiB");
        assertTrue(first.isOpen());
        assertEquals(1, limits.closedForBytesCount());
        assertEquals(700 * 1024, limits.incompleteBytes(), "the closed connection's bytes are given back");

        // A small incomplete message is never the reason for a close, even over the bound, and frames still pass.
        EmbeddedChannel third = channel(limits);
        third.writeInbound(partial(40_000_000, 400 * 1024));
        assertFalse(third.isOpen());
        EmbeddedChannel small = channel(limits);
        small.writeInbound(Unpooled.wrappedBuffer(PING, 0, 10));
        assertTrue(small.isOpen());
        small.writeInbound(Unpooled.wrappedBuffer(PING, 10, PING.length - 10));
        ByteBuf frame = small.readInbound();
        assertEquals(1, frame.nioBufferCount(), "a message of two reads goes on as one buffer, not a composite of them");
        byte[] got = new byte[frame.readableBytes()];
        frame.readBytes(got);
        frame.release();
        assertArrayEquals(PING, got);

        first.finishAndReleaseAll();
        small.finishAndReleaseAll();
        assertEquals(0, limits.incompleteBytes(), "every held byte is given back when the connections close");
        assertEquals(0, limits.current());
    }

    @Test
    void aMessageThatArrivesWholeIsNotHeld() {
        IncomingLimits limits = new IncomingLimits(100, IncomingLimits.ALWAYS_ALLOWED_BYTES, 60_000);
        EmbeddedChannel ch = channel(limits);
        byte[] two = new byte[PING.length * 2];
        System.arraycopy(PING, 0, two, 0, PING.length);
        System.arraycopy(PING, 0, two, PING.length, PING.length);
        ch.writeInbound(Unpooled.wrappedBuffer(two));
        assertEquals(0, limits.incompleteBytes());
        assertEquals(2, ch.inboundMessages().size());
        ch.finishAndReleaseAll();
    }

    @Test
    void connectionsPastTheLimitAreClosedBeforeAnythingIsRead() {
        IncomingLimits limits = new IncomingLimits(2, IncomingLimits.ALWAYS_ALLOWED_BYTES, 60_000);
        EmbeddedChannel a = channel(limits);
        EmbeddedChannel b = channel(limits);
        EmbeddedChannel refused = channel(limits);
        assertFalse(refused.isOpen());
        assertEquals(1, limits.refusedConnections());
        assertEquals(2, limits.current());
        a.finishAndReleaseAll();
        assertEquals(1, limits.current(), "a closed connection frees its place");
        EmbeddedChannel c = channel(limits);
        assertTrue(c.isOpen());
        c.writeInbound(Unpooled.wrappedBuffer(PING));
        assertEquals(1, c.inboundMessages().size());
        b.finishAndReleaseAll();
        c.finishAndReleaseAll();
        assertEquals(0, limits.current());
    }

    @Test
    void aConnectionSilentInTheMiddleOfAMessageIsClosedAfterTheTimeout() {
        IncomingLimits limits = new IncomingLimits(100, MIB, 50);
        EmbeddedChannel ch = channel(limits);
        ch.writeInbound(partial(1_000, 100));
        assertEquals(100, limits.incompleteBytes());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ch.isOpen() && System.nanoTime() < deadline) {
            ch.runScheduledPendingTasks();
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertFalse(ch.isOpen(), "closed after 50 ms without a byte");
        assertEquals(1, limits.closedForIdlenessCount());
        assertEquals(0, limits.incompleteBytes());
    }

    @Test
    void boundsBelowWhatAnOrdinaryRequestNeedsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IncomingLimits(0, MIB, 1));
        assertThrows(IllegalArgumentException.class, () -> new IncomingLimits(1, 1024, 1));
        assertThrows(IllegalArgumentException.class, () -> new IncomingLimits(1, MIB, 0));
        assertTrue(IncomingLimits.defaultIncompleteBytes() >= Math.min(2L * WireLimits.MAX_MESSAGE_SIZE_BYTES,
            io.netty.util.internal.PlatformDependent.maxDirectMemory() / 2));
    }
}
