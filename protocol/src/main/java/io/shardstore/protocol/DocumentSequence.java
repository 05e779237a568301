package io.shardstore.protocol;

import java.util.List;

import io.netty.buffer.ByteBuf;

/** An OP_MSG kind-1 section: documents for one array field of the command, such as insert's {@code documents}. */
public record DocumentSequence(String identifier, List<ByteBuf> documents) {

    /** The section's size field: the field itself, the identifier and its terminator, then the documents. */
    public int size() {
        int size = 4 + identifier.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
        for (ByteBuf d : documents) {
            size += d.readableBytes();
        }
        return size;
    }
}
