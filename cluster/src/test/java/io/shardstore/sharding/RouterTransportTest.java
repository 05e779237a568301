package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.bson.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.netty.channel.epoll.Epoll;
import io.netty.incubator.channel.uring.IOUring;
import io.shardstore.cluster.LocalCluster;
import io.shardstore.protocol.Transport;

/**
 * The router prefers io_uring where the kernel allows it (decision 0015), so the rest of the suite runs on it here.
 * This runs the same writes and reads through a router on each other transport this machine has (epoll, NIO), with
 * the driver's defaults (retryable writes, the set's w: "majority") on two 3-member shards: what it acknowledges is
 * what it then reads, whichever transport carries it.
 */
class RouterTransportTest {

    static Stream<Transport> transports() {
        List<Transport> all = new ArrayList<>();
        if (IOUring.isAvailable()) {
            all.add(Transport.IO_URING);
        }
        if (Epoll.isAvailable()) {
            all.add(Transport.EPOLL);
        }
        all.add(Transport.NIO);
        // The first is what every other test runs on; the others are why this test exists.
        return all.stream().skip(1);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void acknowledgedWritesAreReadBackOverTheTransport(Transport transport) throws Exception {
        String before = System.getProperty("shardstore.transport");
        System.setProperty("shardstore.transport", transport.name().toLowerCase(java.util.Locale.ROOT));
        LocalCluster cluster;
        try {
            cluster = LocalCluster.builder().shards(2).members(3).start();
        } finally {
            if (before == null) {
                System.clearProperty("shardstore.transport");
            } else {
                System.setProperty("shardstore.transport", before);
            }
        }
        try (cluster; MongoClient client = MongoClients.create(cluster.uri())) {
            assertEquals(transport, cluster.routerTransport());
            client.getDatabase("admin").runCommand(new Document("shardCollection", "t.c").append("key", new Document("_id", "hashed")));
            MongoCollection<Document> c = client.getDatabase("t").getCollection("c");
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                docs.add(new Document("_id", i).append("v", i % 7));
            }
            c.insertMany(docs);
            for (int i = 0; i < 50; i++) {
                assertEquals(1, c.updateOne(Filters.eq("_id", i), Updates.set("seen", true)).getModifiedCount());
            }
            assertEquals(500, c.countDocuments());
            assertEquals(50, c.countDocuments(Filters.eq("seen", true)));
            assertEquals(3, c.find(Filters.eq("_id", 3)).first().getInteger("v"));
            // A cursor that needs getMores: batches come back over the same transport, to the member that has them.
            List<Integer> ids = new ArrayList<>();
            c.find().sort(new Document("_id", 1)).batchSize(40).forEach(d -> ids.add(d.getInteger("_id")));
            assertEquals(500, ids.size());
            assertEquals(499, ids.get(499));
            assertEquals(7, c.distinct("v", Integer.class).into(new ArrayList<>()).size());
        }
    }
}
