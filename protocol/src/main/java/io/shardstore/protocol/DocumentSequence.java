package io.shardstore.protocol;

import java.util.List;

import io.netty.buffer.ByteBuf;

/** An OP_MSG kind-1 section: documents for one array field of the command, such as insert's {@code documents}. */
public record DocumentSequence(String identifier, List<ByteBuf> documents) {
}
