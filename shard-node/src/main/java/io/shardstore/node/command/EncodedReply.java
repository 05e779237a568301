package io.shardstore.node.command;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * A read's reply already encoded, while the storage read lock was still held (decision 0010). A reply may hold the
 * engine's stored documents, which a write changes in place once the lock is gone; encoding it under the lock is
 * the one copy the reply needs anyway (a deep copy first cost 44 % of a reader thread's time on 50-document scans).
 * The engine's {@link Document} is final, so the bytes travel in a marker document: {@code {ok, <field>: bytes}}.
 */
public final class EncodedReply {
    private static final String FIELD = "$shardstoreEncodedReply";

    private final byte[] bson;

    private EncodedReply(byte[] bson) {
        this.bson = bson;
    }

    /** The marker document for {@code reply}, encoded now. */
    public static Document of(Document reply) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.heapBuffer();
        try {
            io.shardstore.node.server.ReplyEncoder.encode(reply, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return new Document("ok", reply.get("ok")).append(FIELD, new EncodedReply(bytes));
        } finally {
            buf.release();
        }
    }

    /** The encoded bytes of a marker document, or null for an ordinary reply. */
    public static byte[] bytesOf(Document reply) {
        return reply.get(FIELD) instanceof EncodedReply e ? e.bson : null;
    }

    /** An ordinary document for a marker (for whoever changes a reply after the read); others as they are. */
    public static Document decoded(Document reply) {
        byte[] bytes = bytesOf(reply);
        return bytes == null ? reply : BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bytes));
    }
}
