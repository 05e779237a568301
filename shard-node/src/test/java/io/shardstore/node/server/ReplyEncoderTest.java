package io.shardstore.node.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** The reply encoder writes exactly the engine encoder's bytes, for every kind of value a reply holds. */
class ReplyEncoderTest {

    private static byte[] bytes(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        buf.release();
        return out;
    }

    private static void assertSameBytes(Document doc) {
        ByteBuf engine = Unpooled.buffer();
        BsonEncoder.encodeDocument(doc, engine);
        ByteBuf ours = Unpooled.buffer();
        ReplyEncoder.encode(doc, ours);
        assertArrayEquals(bytes(engine), bytes(ours), doc::toString);
    }

    @Test
    void everyValueTypeAsTheEngineWritesIt() {
        Document nested = new Document("x", 1).append("y", List.of(1, "two", new Document("z", 3.5), List.of())).append("ü", "ß");
        Document doc = new Document("_id", new ObjectId()).append("i", 42).append("l", 1L << 40).append("d", 2.5)
            .append("s", "text").append("empty", "").append("t", true).append("f", false).append("n", null)
            .append("instant", Instant.ofEpochMilli(5))
            .append("bin", new de.bwaldvogel.mongo.bson.BinData(new byte[] {1, 2, 3})).append("uuid", UUID.randomUUID())
            .append("dec", Decimal128.fromNumber(1.5)).append("ts", new BsonTimestamp(7L << 32 | 3))
            .append("min", MinKey.getInstance()).append("max", MaxKey.getInstance())
            .append("re", new BsonRegularExpression("^a.*", "i")).append("nested", nested)
            .append("set", new LinkedHashSet<>(List.of(3, 1, 2))).append("list", Arrays.asList(null, 1, "a"))
            .append("deep", new Document("a", new Document("b", new Document("c", List.of(new Document("d", 1))))));
        assertSameBytes(doc);
        assertSameBytes(new Document());
        assertSameBytes(new Document("cursor", new Document("firstBatch", List.of(doc, nested)).append("id", 0L).append("ns", "db.c"))
            .append("ok", 1.0));
    }

    @Test
    void aValueTheEngineCannotWriteFailsAlike() {
        Document bad = new Document("x", new Object());
        assertThrows(IllegalArgumentException.class, () -> BsonEncoder.encodeDocument(bad, Unpooled.buffer()));
        assertThrows(IllegalArgumentException.class, () -> ReplyEncoder.encode(bad, Unpooled.buffer()));
    }
}
