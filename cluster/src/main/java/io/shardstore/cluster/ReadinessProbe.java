package io.shardstore.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.bson.Document;

import com.mongodb.MongoException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

/**
 * What "ready" means for {@code bin/cluster}: a write through the router succeeds on every shard. Listening ports and
 * elected primaries are not enough (a script started at "ready" used to meet shards the router did not know yet), so
 * each shard gets a scratch database whose primary it is, one majority write there through the router, and the
 * database is dropped again. Retried until it works or the deadline passes.
 */
final class ReadinessProbe {
    static final String SCRATCH_PREFIX = "shardstore_ready_";
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private ReadinessProbe() {
    }

    /** Returns once a write through the router at {@code routerUri} worked on each of {@code shards}; else throws. */
    static void awaitWritable(String routerUri, int shards, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (MongoClient router = MongoClients.create(routerUri)) {
            for (int i = 0; i < shards; i++) {
                String shard = "shard" + i;
                while (!writeOnce(router, shard)) {
                    if (System.nanoTime() >= deadline) {
                        throw new IOException("no write through the router reached " + shard + " within " + timeout.toSeconds() + " s");
                    }
                    LockSupport.parkNanos(RETRY_NANOS);
                }
            }
        }
    }

    /**
     * Ready for a router with --auth, which takes no anonymous write: a majority write (and the drop) on each shard's
     * set directly, then the router answering a ping.
     */
    static void awaitWritableShards(String routerUri, java.util.List<String> shardHosts, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String hosts : shardHosts) {
            try (MongoClient shard = MongoClients.create(io.shardstore.sharding.ConnectionStrings.of(hosts))) {
                while (!attempt(() -> {
                    MongoDatabase scratch = shard.getDatabase(SCRATCH_PREFIX + "direct").withWriteConcern(WriteConcern.MAJORITY);
                    scratch.getCollection("probe").insertOne(new Document("at", System.currentTimeMillis()));
                    scratch.drop();
                })) {
                    awaitRetry(deadline, "no write reached " + hosts + " within " + timeout.toSeconds() + " s");
                }
            }
        }
        try (MongoClient router = MongoClients.create(routerUri)) {
            while (!attempt(() -> router.getDatabase("admin").runCommand(new Document("ping", 1)))) {
                awaitRetry(deadline, "the router did not answer within " + timeout.toSeconds() + " s");
            }
        }
    }

    private static boolean attempt(Runnable step) {
        try {
            step.run();
            return true;
        } catch (MongoException e) {
            return false; // not yet: elections
        }
    }

    private static void awaitRetry(long deadline, String failure) throws IOException {
        if (System.nanoTime() >= deadline) {
            throw new IOException(failure);
        }
        LockSupport.parkNanos(RETRY_NANOS);
    }

    /** One attempt: true when the scratch write on {@code shard} was acknowledged by a majority and cleaned up. */
    private static boolean writeOnce(MongoClient router, String shard) {
        String db = SCRATCH_PREFIX + shard;
        try {
            router.getDatabase("admin").runCommand(new Document("enableSharding", db).append("primaryShard", shard));
            MongoDatabase scratch = router.getDatabase(db).withWriteConcern(WriteConcern.MAJORITY);
            scratch.getCollection("probe").insertOne(new Document("at", System.currentTimeMillis()));
            scratch.drop();
            return true;
        } catch (MongoException e) {
            return false; // not yet: elections, the router's first catalog reads
        }
    }
}
