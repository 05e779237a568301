package io.shardstore.protocol;

import io.netty.buffer.ByteBuf;

/** The 16-byte little-endian header in front of every wire message. */
public record MsgHeader(int messageLength, int requestId, int responseTo, int opCode) {

    public static final int SIZE = 16;

    /** Reads a header at the reader index of {@code buf} without moving it. */
    public static MsgHeader peek(ByteBuf buf) {
        int i = buf.readerIndex();
        return new MsgHeader(buf.getIntLE(i), buf.getIntLE(i + 4), buf.getIntLE(i + 8), buf.getIntLE(i + 12));
    }

    public void writeTo(ByteBuf out) {
        out.writeIntLE(messageLength).writeIntLE(requestId).writeIntLE(responseTo).writeIntLE(opCode);
    }
}
