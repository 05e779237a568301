package io.shardstore.router.gateway;

import io.netty.buffer.ByteBuf;

/**
 * A shard's reply body (raw BSON, not decoded) and the member that sent it, where a cursor on it lives; with the reply's
 * whole frame, retained, when it was asked for ({@link ShardGateway#sendKeepingFrame}), else a null frame.
 */
public record ShardReply(byte[] body, String host, ByteBuf frame) {

    public ShardReply(byte[] body, String host) {
        this(body, host, null);
    }

    /** Releases the frame, if the reply holds one. */
    public void release() {
        if (frame != null) {
            frame.release();
        }
    }
}
