package io.shardstore.router.frontend;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.shardstore.protocol.OpCode;

/**
 * The way back to the client for a shard's reply that goes to it as it came (a single-shard request answered ok, no
 * cursor to swap): the shard's frame is written to the client's connection with only the header's ids changed, instead
 * of being copied into a document and encoded into a new frame (decision 0016). Offered by the client's connection for
 * a plain OP_MSG request (a reply expected, no compression, no checksum); the dispatcher withdraws it where a reply is
 * changed on its way back (a failCommand fail point).
 */
public final class DirectReply {
    /**
     * What a command answers when its reply went back this way: the connection writes nothing more. Compared by
     * identity; refuses any change, so that no code can believe it altered a reply that is already on its way.
     */
    public static final BsonDocument SENT = new Sent();

    private final ClientHandler connection;
    private final ChannelHandlerContext ctx;
    private final int responseTo;

    DirectReply(ClientHandler connection, ChannelHandlerContext ctx, int responseTo) {
        this.connection = connection;
        this.ctx = ctx;
        this.responseTo = responseTo;
    }

    /**
     * Writes the shard's reply frame to the client and takes it (the caller no longer releases it); false, with the frame
     * still the caller's, when it is not a plain OP_MSG of one body section with no flag set.
     */
    public boolean write(ByteBuf frame) {
        int base = frame.readerIndex();
        int length = frame.getIntLE(base);
        if (length != frame.readableBytes() || frame.getIntLE(base + 12) != OpCode.OP_MSG.code() || frame.getIntLE(base + 16) != 0
            || frame.getByte(base + 20) != 0 || frame.getIntLE(base + 21) != length - 21) {
            return false;
        }
        connection.writeShardFrame(ctx, responseTo, frame);
        return true;
    }

    /** An empty document that cannot be changed. */
    private static final class Sent extends BsonDocument {
        private static final long serialVersionUID = 1L;

        @Override
        public BsonValue put(String key, BsonValue value) {
            throw new UnsupportedOperationException("the reply was already sent to the client");
        }

        @Override
        public void putAll(java.util.Map<? extends String, ? extends BsonValue> m) {
            throw new UnsupportedOperationException("the reply was already sent to the client");
        }

        @Override
        public BsonValue remove(Object key) {
            throw new UnsupportedOperationException("the reply was already sent to the client");
        }

        @Override
        public void clear() {
            throw new UnsupportedOperationException("the reply was already sent to the client");
        }
    }
}
