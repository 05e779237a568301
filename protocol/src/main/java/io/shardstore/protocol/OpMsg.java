package io.shardstore.protocol;

import java.util.List;

import io.netty.buffer.ByteBuf;

/** An OP_MSG request: flag bits, the body document (section kind 0) and any document sequences (kind 1). */
public record OpMsg(MsgHeader header, int flags, ByteBuf body, List<DocumentSequence> sequences,
                    Compressor compressor, ByteBuf backing) implements WireRequest {

    public static final int CHECKSUM_PRESENT = 1;
    public static final int MORE_TO_COME = 1 << 1;
    public static final int EXHAUST_ALLOWED = 1 << 16;

    public boolean checksumPresent() {
        return (flags & CHECKSUM_PRESENT) != 0;
    }

    /** The client expects no reply (an unacknowledged write). */
    public boolean moreToCome() {
        return (flags & MORE_TO_COME) != 0;
    }
}
