package io.shardstore.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.cluster.LocalCluster;

/**
 * The inputs {@link WireFuzzTest} found answered with InternalError, replayed byte for byte through the router: each
 * now gets MongoDB's code for what is wrong with it.
 */
class FuzzFindingsTest {
    private static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().shards(1).start();
        try (MongoClient client = MongoClients.create(cluster.uri())) {
            client.getDatabase("fz").getCollection("c").insertOne(new Document("_id", 1).append("a", "x"));
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // count with query: [] (an array where a document belongs): TypeMismatch
        "count-query-array, 14, 3f0000000800000000000000dd07000000000000002a00000002636f756e7400020000006300047175657279000500000000022464620003000000667a0000",
        // findAndModify with update {$inc: {$: 1}}: BadValue, from the engine's refusal of the field name
        "inc-dollar-field, 2, 660000000f00000000000000dd0700000000000000510000000266696e64416e644d6f64696679000200000063000371756572790005000000000375706461746500170000000324696e63000c000000102400010000000000022464620003000000667a0000",
        // findAndModify with update {$inc: {'.': 1}}: EmptyFieldName
        // saslStart whose payload is binary subtype 2 with an inner length that disagrees: InvalidBSON
        "sasl-old-binary, 22, 6f0000001000000024000000dd07000000000000005a000000107361736c53746172740001000000026d656368616e69736d000e000000534352414d2d5348412d32353600057061796c6f6164000c000000026e2c2c6e3d752c723d61626302246462000600000061646d696e0000",
        "inc-empty-path, 56, 660000000f00000000000000dd0700000000000000510000000266696e64416e644d6f64696679000200000063000371756572790005000000000375706461746500170000000324696e63000c000000102e00010000000000022464620003000000667a0000",
    })
    void answeredWithTheRightCode(String name, int code, String hex) throws Exception {
        byte[] frame = HexFormat.of().parseHex(hex);
        try (Socket s = new Socket("127.0.0.1", cluster.routerPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(frame);
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] header = new byte[16];
            in.readFully(header);
            int length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            byte[] rest = new byte[length - 16];
            in.readFully(rest);
            RawBsonDocument reply = new RawBsonDocument(rest, 5, rest.length - 5);
            assertEquals(code, reply.getNumber("code").intValue(), reply.toJson());
        }
    }
}
