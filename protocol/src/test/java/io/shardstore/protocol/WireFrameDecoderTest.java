package io.shardstore.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.shardstore.protocol.Bson.Out;

class WireFrameDecoderTest {

    private static final byte[] PING = Frames.opMsg(1, 0, Frames.body(Bson.bytes("{ping: 1, $db: 'admin'}")));

    private static byte[] read(EmbeddedChannel ch) {
        ByteBuf frame = ch.readInbound();
        if (frame == null) {
            return null;
        }
        byte[] b = new byte[frame.readableBytes()];
        frame.readBytes(b);
        frame.release();
        return b;
    }

    @Test
    void reassemblesAFrameSentByteByByte() {
        EmbeddedChannel ch = new EmbeddedChannel(new WireFrameDecoder());
        for (int i = 0; i < PING.length; i++) {
            assertNull(read(ch), "no frame before its last byte");
            ch.writeInbound(Unpooled.wrappedBuffer(PING, i, 1));
        }
        assertArrayEquals(PING, read(ch));
        assertFalse(ch.finish());
    }

    @Test
    void cutsSeveralFramesOutOfOneRead() {
        byte[] second = Frames.opMsg(2, 0, Frames.body(Bson.bytes("{hello: 1, $db: 'admin'}")));
        EmbeddedChannel ch = new EmbeddedChannel(new WireFrameDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(PING, second, new byte[] {1, 2, 3}));
        assertArrayEquals(PING, read(ch));
        assertArrayEquals(second, read(ch));
        assertNull(read(ch), "the partial third header waits for more");
        ch.finishAndReleaseAll();
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 4, 15, WireLimits.MAX_MESSAGE_SIZE_BYTES + 1, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void refusesLengthsThatCannotBeAFrame(int length) {
        EmbeddedChannel ch = new EmbeddedChannel(new WireFrameDecoder());
        DecoderException e = assertThrows(DecoderException.class,
            () -> ch.writeInbound(Unpooled.wrappedBuffer(new Out().i32(length).i32(1).i32(0).i32(2013).toBytes())));
        ProtocolException cause = assertInstanceOf(ProtocolException.class, e.getCause());
        assertEquals(ErrorCode.ProtocolError, cause.code());
        assertTrue(cause.fatal());
        // Whatever follows is discarded rather than cut into bogus frames.
        ch.writeInbound(Unpooled.wrappedBuffer(PING));
        assertNull(read(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void acceptsTheLargestAllowedLengthAndWaits() {
        EmbeddedChannel ch = new EmbeddedChannel(new WireFrameDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(new Out().i32(WireLimits.MAX_MESSAGE_SIZE_BYTES).i32(1).i32(0).i32(2013).toBytes()));
        assertNull(read(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void aHeaderOnlyFrameIsPassedOnForTheMessageDecoderToRefuse() {
        EmbeddedChannel ch = new EmbeddedChannel(new WireFrameDecoder());
        byte[] headerOnly = new Out().i32(16).i32(1).i32(0).i32(2013).toBytes();
        ch.writeInbound(Unpooled.wrappedBuffer(headerOnly));
        assertArrayEquals(headerOnly, read(ch));
        ch.finishAndReleaseAll();
    }
}
