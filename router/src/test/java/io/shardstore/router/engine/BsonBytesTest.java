package io.shardstore.router.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import io.shardstore.sharding.ChunkVersion;

class BsonBytesTest {

    @Test
    void theShardVersionIsWrittenAsTheDocumentWouldEncodeIt() {
        BsonDocument find = new BsonDocument("find", new BsonString("orders")).append("filter", new BsonDocument("k", new BsonInt32(7)))
            .append("$db", new BsonString("shop"));
        byte[] body = BsonBytes.bytes(new RawBsonDocument(find, new BsonDocumentCodec()));
        ChunkVersion version = new ChunkVersion(12, 345, new ObjectId(), new BsonTimestamp(1_700_000_000, 9));
        byte[] expected = BsonBytes.append(body, new BsonDocument("shardVersion", version.toShardVersion()));
        byte[] written = BsonBytes.appendShardVersion(body, version);
        assertArrayEquals(expected, written);
        assertEquals(version, ChunkVersion.fromShardVersion(new RawBsonDocument(written).getDocument("shardVersion")));
    }

    @Test
    void theCommandNameAndDatabaseAreReadFromTheBytes() {
        byte[] find = BsonBytes.bytes(new RawBsonDocument(new BsonDocument("find", new BsonString("orders"))
            .append("filter", new BsonDocument("$db", new BsonString("not this one"))).append("$db", new BsonString("shöp")),
            new BsonDocumentCodec()));
        assertEquals("find", BsonBytes.firstKey(find));
        assertEquals("shöp", BsonBytes.string(find, "$db"));
        byte[] numeric = BsonBytes.bytes(new RawBsonDocument(new BsonDocument("ping", new BsonInt32(1)).append("$db", new BsonInt32(5)),
            new BsonDocumentCodec()));
        assertEquals(null, BsonBytes.string(numeric, "$db"), "a $db that is not a string is no database");
        assertEquals("", BsonBytes.firstKey(BsonBytes.bytes(new RawBsonDocument(new BsonDocument(), new BsonDocumentCodec()))));
    }
}
