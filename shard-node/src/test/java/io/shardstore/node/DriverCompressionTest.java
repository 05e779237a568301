package io.shardstore.node;

import static io.shardstore.node.WireBytes.body;
import static io.shardstore.node.WireBytes.bson;
import static io.shardstore.node.WireBytes.compressed;
import static io.shardstore.node.WireBytes.opMsg;
import static io.shardstore.node.WireBytes.opQuery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

import io.shardstore.node.RawConnection.Reply;
import io.shardstore.protocol.Compressor;
import io.shardstore.protocol.OpCode;

/** OP_COMPRESSED end to end: the Java driver with each compressor, and what the node negotiates and sends. */
class DriverCompressionTest {
    private static ShardNode node;

    @BeforeAll
    static void startNode() throws Exception {
        node = ShardNode.start(NodeOptions.inMemory(0));
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private static String uri(int port, String compressors) {
        return "mongodb://127.0.0.1:" + port + "/?directConnection=true&serverSelectionTimeoutMS=5000"
            + "&connectTimeoutMS=5000&socketTimeoutMS=5000&compressors=" + compressors;
    }

    /** The compression lists of the node's handshake replies (those that carry one). */
    private static List<List<String>> negotiated(List<SniffingProxy.Frame> frames) {
        List<List<String>> out = new ArrayList<>();
        for (SniffingProxy.Frame f : frames) {
            if (!f.fromClient() && f.opCode() != OpCode.OP_COMPRESSED.code()) {
                BsonDocument doc = RawConnection.parse(f.bytes()).doc();
                if (doc.containsKey("compression")) {
                    out.add(doc.getArray("compression").stream().map(v -> v.asString().getValue()).toList());
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"snappy", "zlib", "zstd"})
    void driverInsertsAndFindsThroughEachCompressor(String name) throws IOException {
        Compressor compressor = Compressor.byName(name);
        String text = "compressible ".repeat(200);
        try (SniffingProxy proxy = new SniffingProxy(node.port());
             MongoClient client = MongoClients.create(uri(proxy.port(), name))) {
            MongoCollection<Document> coll = client.getDatabase("compression").getCollection(name);
            coll.drop();
            List<Document> docs = IntStream.range(0, 50)
                .mapToObj(i -> new Document("_id", i).append("text", text).append("sq", i * i)).toList();
            coll.insertMany(docs);
            assertEquals(50, coll.countDocuments());
            List<Document> found = coll.find(Filters.gte("_id", 10)).sort(Sorts.ascending("_id")).into(new ArrayList<>());
            assertEquals(40, found.size());
            assertEquals(docs.subList(10, 50), found);
            assertEquals(49 * 49, coll.find(Filters.eq("_id", 49)).first().getInteger("sq"));

            List<SniffingProxy.Frame> frames = proxy.frames();
            List<List<String>> lists = negotiated(frames);
            assertFalse(lists.isEmpty(), "the node's handshake reply lists the agreed compressors");
            lists.forEach(l -> assertEquals(List.of(name), l, "hello's compression list"));
            assertTrue(frames.stream().anyMatch(f -> f.fromClient() && f.opCode() == OpCode.OP_COMPRESSED.code()
                && f.compressorId() == compressor.id()), "the driver sent " + name + "-compressed requests");
            assertTrue(frames.stream().anyMatch(f -> !f.fromClient() && f.opCode() == OpCode.OP_COMPRESSED.code()
                && f.compressorId() == compressor.id()), "the node answered " + name + "-compressed");
            assertTrue(frames.stream().filter(f -> f.opCode() == OpCode.OP_COMPRESSED.code())
                .allMatch(f -> f.compressorId() == compressor.id()), "no other compressor was used");
            // every compressed reply inflates to a well-formed message
            frames.stream().filter(f -> !f.fromClient()).forEach(f -> RawConnection.parse(f.bytes()));
        }
    }

    @Test
    void driverUsesTheFirstCompressorItListed() throws IOException {
        try (SniffingProxy proxy = new SniffingProxy(node.port());
             MongoClient client = MongoClients.create(uri(proxy.port(), "zstd,zlib,snappy"))) {
            MongoCollection<Document> coll = client.getDatabase("compression").getCollection("several");
            coll.insertOne(new Document("_id", "x").append("text", "abc".repeat(100)));
            assertEquals("x", coll.find().first().getString("_id"));
            List<SniffingProxy.Frame> frames = proxy.frames();
            negotiated(frames).forEach(l -> assertEquals(List.of("zstd", "zlib", "snappy"), l));
            assertTrue(frames.stream().filter(f -> f.opCode() == OpCode.OP_COMPRESSED.code())
                .allMatch(f -> f.compressorId() == Compressor.ZSTD.id()));
        }
    }

    @Test
    void helloNegotiatesOnlyKnownCompressorsInTheClientsOrder() throws IOException {
        try (RawConnection c = new RawConnection(node.port())) {
            int id = RawConnection.nextRequestId();
            c.send(opMsg(id, 0, body(bson("{hello: 1, compression: ['lz4', 'zlib', 'noop', 'snappy', 'zlib'], $db: 'admin'}"))));
            Reply r = c.reply();
            assertTrue(r.ok());
            assertEquals(new BsonArray(List.<BsonValue>of(new BsonString("zlib"), new BsonString("snappy"))),
                r.doc().getArray("compression"));
            id = RawConnection.nextRequestId();
            c.send(opMsg(id, 0, body(bson("{hello: 1, compression: ['lz4'], $db: 'admin'}"))));
            r = c.reply();
            assertFalse(r.doc().containsKey("compression"), "nothing in common: no compression field");
        }
    }

    @ParameterizedTest
    @EnumSource(Compressor.class)
    void compressedRequestsAreAnsweredWithTheSameCompressor(Compressor compressor) throws IOException {
        try (RawConnection c = new RawConnection(node.port())) {
            int id = RawConnection.nextRequestId();
            c.send(compressed(opQuery(id, "admin.$cmd", bson("{isMaster: 1, compression: ['" + compressor.wireName() + "']}")),
                compressor));
            Reply hello = c.reply();
            assertEquals(OpCode.OP_REPLY.code(), hello.opCode(), "a legacy handshake is answered with OP_REPLY");
            assertEquals(compressor.id(), hello.compressorId());
            assertTrue(hello.ok());

            id = RawConnection.nextRequestId();
            c.send(compressed(opMsg(id, WireBytes.CHECKSUM_PRESENT, body(bson("{ping: 1, $db: 'admin'}"))), compressor));
            Reply ping = c.reply();
            assertEquals(id, ping.responseTo());
            assertEquals(compressor.id(), ping.compressorId());
            assertTrue(ping.ok());

            id = RawConnection.nextRequestId();
            c.send(opMsg(id, 0, body(bson("{ping: 1, $db: 'admin'}"))));
            Reply plain = c.reply();
            assertNull(plain.compressorId(), "an uncompressed request gets an uncompressed reply");
        }
    }
}
