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
        io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.buffer();
        BsonBytes.writeWithShardVersion(out, body, body.length, version);
        byte[] written = io.netty.buffer.ByteBufUtil.getBytes(out);
        assertArrayEquals(expected, written);
        assertEquals(version, ChunkVersion.fromShardVersion(new RawBsonDocument(written).getDocument("shardVersion")));
    }
}
