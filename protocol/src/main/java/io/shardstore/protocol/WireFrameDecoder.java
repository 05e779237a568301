package io.shardstore.protocol;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Cuts the byte stream into frames by the length in the header. A length below the header size or
 * above maxMessageSizeBytes cannot be resynchronised, so it raises a fatal {@link ProtocolException}.
 */
public final class WireFrameDecoder extends ByteToMessageDecoder {
    /** Set once the stream has lost its frame boundaries; whatever arrives afterwards is garbage. */
    private boolean failed;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            // The connection is being closed; cutting later bytes into "frames" would only produce
            // more bogus requests and error replies.
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < 4) {
            return;
        }
        int length = in.getIntLE(in.readerIndex());
        if (length < MsgHeader.SIZE || length > WireLimits.MAX_MESSAGE_SIZE_BYTES) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw new ProtocolException(ErrorCode.ProtocolError, "message length " + length + " is outside "
                + MsgHeader.SIZE + ".." + WireLimits.MAX_MESSAGE_SIZE_BYTES, true);
        }
        if (in.readableBytes() < length) {
            return;
        }
        out.add(in.readRetainedSlice(length));
    }
}
