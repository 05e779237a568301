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
 * what it then reads, whichever transport carries it; and on the preferred transport with two event loops, where the
 * default on this machine is one (decision 0016).
 */
class RouterTransportTest {

    /** A transport and the router's event loops (0: the default, one per two cores). */
    record Case(Transport transport, int loops) {
    }

    static Stream<Case> cases() {
        List<Transport> all = new ArrayList<>();
        if (IOUring.isAvailable()) {
            all.add(Transport.IO_URING);
        }
        if (Epoll.isAvailable()) {
            all.add(Transport.EPOLL);
        }
        all.add(Transport.NIO);
        List<Case> cases = new ArrayList<>();
        // The first transport with the default loops is what every other test runs on: here it runs with two loops
        // (on this 2-core machine the default is one), so that requests also cross from one loop's shard
        // connections to another's. The other transports are why this test exists.
        cases.add(new Case(all.get(0), 2));
        all.stream().skip(1).forEach(t -> cases.add(new Case(t, 0)));
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void acknowledgedWritesAreReadBackOverTheTransport(Case run) throws Exception {
        Transport transport = run.transport();
        String before = System.getProperty("shardstore.transport");
        System.setProperty("shardstore.transport", transport.name().toLowerCase(java.util.Locale.ROOT));
        LocalCluster cluster;
        try {
            cluster = LocalCluster.builder().shards(2).members(3).routerLoops(run.loops()).start();
        } finally {
            if (before == null) {
                System.clearProperty("shardstore.transport");
            } else {
                System.setProperty("shardstore.transport", before);
            }
        }
        try (cluster; MongoClient client = MongoClients.create(cluster.uri())) {
            assertEquals(transport, cluster.routerTransport());
            assertEquals(run.loops() > 0 ? run.loops() : Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                cluster.routerEventLoops());
            client.getDatabase("admin").runCommand(new Document("shardCollection", "t.c").append("key", new Document("_id", "hashed")));
            MongoCollection<Document> c = client.getDatabase("t").getCollection("c");
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                docs.add(new Document("_id", i).append("v", i % 7));
            }
            c.insertMany(docs);
            // From 5 threads at once: the driver opens several connections, which the router spreads over its loops.
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(5);
            try {
                List<java.util.concurrent.Future<Long>> updated = new ArrayList<>();
                for (int t = 0; t < 5; t++) {
                    int first = t * 10;
                    updated.add(threads.submit(() -> {
                        long n = 0;
                        for (int i = first; i < first + 10; i++) {
                            n += c.updateOne(Filters.eq("_id", i), Updates.set("seen", true)).getModifiedCount();
                        }
                        return n;
                    }));
                }
                for (java.util.concurrent.Future<Long> f : updated) {
                    assertEquals(10L, f.get());
                }
            } finally {
                threads.shutdownNow();
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
