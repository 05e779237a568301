package io.shardstore.router.engine;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/** Mutable copies of documents that may be raw (read-only views of received bytes). */
public final class Docs {
    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

    private Docs() {
    }

    /** A deep, mutable copy (raw documents at any depth are decoded). */
    public static BsonDocument copy(BsonDocument doc) {
        RawBsonDocument raw = doc instanceof RawBsonDocument r ? r : new RawBsonDocument(doc, CODEC);
        return raw.decode(CODEC);
    }
}
