package io.shardstore.router.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import io.shardstore.router.engine.BsonBytes;

/** BodyFields must read every field exactly as the driver's own RawBsonDocument lookup does. */
class BodyFieldsTest {

    private static final BsonDocument BODY = new BsonDocument("find", new BsonString("coll"))
        .append("filter", new BsonDocument("_id", new BsonInt64(42)).append("x", new BsonDocument("$gt", new BsonInt32(1))))
        .append("batchSize", new BsonInt32(-1))
        .append("limit", new BsonInt64(1L << 40))
        .append("ratio", new BsonDouble(0.25))
        .append("singleBatch", BsonBoolean.TRUE)
        .append("hint", BsonNull.VALUE)
        .append("updates", new BsonArray(List.of(new BsonDocument("q", new BsonDocument()), new BsonDocument("q", new BsonDocument()),
            new BsonInt32(3))))
        .append("oid", new BsonObjectId(new ObjectId()))
        .append("ts", new BsonTimestamp(7, 9))
        .append("données", new BsonString("é"))
        .append("$db", new BsonString("test"));

    private static BodyFields fields() {
        return BodyFields.of(BsonBytes.bytes(new RawBsonDocument(BODY, new BsonDocumentCodec())));
    }

    @Test
    void everyFieldReadsAsTheDriverReadsIt() {
        BodyFields f = fields();
        RawBsonDocument raw = new RawBsonDocument(BODY, new BsonDocumentCodec());
        for (String name : List.of("find", "filter", "batchSize", "limit", "ratio", "singleBatch", "hint", "updates", "oid", "ts",
            "données", "$db")) {
            assertEquals(raw.get(name), f.value(name), name);
        }
        assertEquals(new BsonInt64(42), f.value("filter").asDocument().get("_id"), "documents stay readable over the body's bytes");
    }

    @Test
    void namesStringsAndCounts() {
        BodyFields f = fields();
        assertEquals("find", f.firstName());
        assertEquals("coll", f.string("find"));
        assertEquals("test", f.string("$db"));
        assertEquals("é", f.string("données"));
        assertNull(f.string("batchSize"), "not a string");
        assertNull(f.value("missing"));
        assertNull(f.value("filte"), "a prefix of a name is another name");
        assertNull(f.value("filterx"));
        assertEquals(3, f.arrayLength("updates"));
        assertEquals(-1, f.arrayLength("filter"), "not an array");
        assertEquals(-1, f.arrayLength("missing"));
    }

    @Test
    void anEmptyBodyHasNoFields() {
        BodyFields f = BodyFields.of(BsonBytes.bytes(new RawBsonDocument(new BsonDocument(), new BsonDocumentCodec())));
        assertEquals("", f.firstName());
        assertNull(f.value("find"));
        assertTrue(f.indexOf("find") < 0);
    }

    @Test
    void aRequestCountsItsBatchInTheBodyOrInASequence() {
        RouterRequest inBody = new RouterRequest("update", "test", new RawBsonDocument(BODY, new BsonDocumentCodec()), java.util.Map.of(), null);
        assertEquals(3, inBody.count("updates"));
        assertEquals(0, inBody.count("deletes"));
        assertEquals("coll", new RouterRequest("find", "test", new RawBsonDocument(BODY, new BsonDocumentCodec()), java.util.Map.of(), null)
            .collection());
    }

    @Test
    void theCommandNameAndDatabaseAreReadFromTheBytes() {
        byte[] find = BsonBytes.bytes(new RawBsonDocument(new BsonDocument("find", new BsonString("orders"))
            .append("filter", new BsonDocument("$db", new BsonString("not this one"))).append("$db", new BsonString("shöp")),
            new BsonDocumentCodec()));
        assertEquals("find", BodyFields.of(find).firstName());
        assertEquals("shöp", BodyFields.of(find).string("$db"));
        byte[] numeric = BsonBytes.bytes(new RawBsonDocument(new BsonDocument("ping", new BsonInt32(1)).append("$db", new BsonInt32(5)),
            new BsonDocumentCodec()));
        assertEquals(null, BodyFields.of(numeric).string("$db"), "a $db that is not a string is no database");
        assertEquals("", BodyFields.of(BsonBytes.bytes(new RawBsonDocument(new BsonDocument(), new BsonDocumentCodec()))).firstName());
    }

    @Test
    void theSessionKeyReadOffTheBytesIsTheKeyOfTheDecodedIdAndTurnsBackIntoIt() {
        java.util.UUID uuid = java.util.UUID.randomUUID();
        org.bson.BsonBinary id = new org.bson.BsonBinary(uuid);
        BsonDocument body = new BsonDocument("find", new BsonString("c"))
            .append("lsid", new BsonDocument("other", new BsonInt32(1)).append("id", id)).append("$db", new BsonString("d"));
        Object key = BodyFields.of(BsonBytes.bytes(new RawBsonDocument(body, new BsonDocumentCodec()))).sessionKey();
        assertTrue(key instanceof SessionKey, String.valueOf(key));
        assertEquals(SessionKey.of(id), key, "endSessions' decoded id finds the same registry entry");
        assertEquals(SessionKey.of(id).hashCode(), key.hashCode());
        assertEquals(id, SessionKey.toBson(key), "$listLocalSessions shows the id the driver sent");
        assertTrue(!key.equals(SessionKey.of(new org.bson.BsonBinary(java.util.UUID.randomUUID()))));

        // An id that is not 16 bytes of binary is kept as the value it is.
        BsonDocument odd = new BsonDocument("find", new BsonString("c")).append("lsid", new BsonDocument("id", new BsonString("s")));
        assertEquals(new BsonString("s"), BodyFields.of(BsonBytes.bytes(new RawBsonDocument(odd, new BsonDocumentCodec()))).sessionKey());
        assertNull(BodyFields.of(BsonBytes.bytes(new RawBsonDocument(new BsonDocument("find", new BsonString("c")),
            new BsonDocumentCodec()))).sessionKey());
    }
}
