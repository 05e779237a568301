package io.shardstore.node.command.auth;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shardstore.node.server.ReplyEncoder;

/**
 * The node's documents (the engine's {@link Document}) and the security module's ({@link BsonDocument}) are the same
 * BSON: each way goes through the bytes. Only the authentication commands cross, a few times per login.
 */
final class BsonBridge {
    private BsonBridge() {
    }

    static BsonDocument toBson(Document doc) {
        ByteBuf buf = Unpooled.buffer();
        try {
            ReplyEncoder.encode(doc, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return new BsonDocumentCodec().decode(new RawBsonDocument(bytes).asBsonReader(), DecoderContext.builder().build());
        } finally {
            buf.release();
        }
    }

    static Document toDocument(BsonDocument doc) {
        RawBsonDocument raw = new RawBsonDocument(doc, new BsonDocumentCodec());
        java.nio.ByteBuffer nio = raw.getByteBuffer().asNIO();
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(nio));
    }
}
