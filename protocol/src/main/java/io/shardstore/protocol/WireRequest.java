package io.shardstore.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A decoded request. Its byte buffers are views into one backing buffer that {@link #release()} frees;
 * {@code compressor} is the one the client used (null when it sent the message uncompressed), so the
 * reply can be compressed the same way, as mongod does.
 */
public sealed interface WireRequest permits OpMsg, OpQuery, LegacyRequest {
    MsgHeader header();

    Compressor compressor();

    ByteBuf backing();

    default int requestId() {
        return header().requestId();
    }

    default void release() {
        backing().release();
    }
}
