package io.shardstore.config.catalog;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Converts between the node's command documents (mongo-java-server's) and the driver's BSON, through bytes. */
public final class Bridge {

    private Bridge() {
    }

    public static BsonDocument toBson(Document doc) {
        ByteBuf buf = Unpooled.buffer();
        try {
            BsonEncoder.encodeDocument(doc, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return new RawBsonDocument(bytes).decode(new org.bson.codecs.BsonDocumentCodec());
        } finally {
            buf.release();
        }
    }

    public static Document fromBson(BsonDocument doc) {
        byte[] bytes = new RawBsonDocument(doc, new org.bson.codecs.BsonDocumentCodec()).getByteBuffer().array();
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bytes));
    }
}
