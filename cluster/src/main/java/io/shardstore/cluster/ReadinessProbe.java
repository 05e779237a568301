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
        awaitWritable(routerUri, shards, timeout, null);
    }

    /** As above, logged in with {@code credential} (bin/cluster --auth: __system with the cluster's key); null: none. */
    static void awaitWritable(String routerUri, int shards, Duration timeout, com.mongodb.MongoCredential credential) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        com.mongodb.MongoClientSettings.Builder settings = com.mongodb.MongoClientSettings.builder()
            .applyConnectionString(new com.mongodb.ConnectionString(routerUri));
        if (credential != null) {
            settings.credential(credential);
        }
        try (MongoClient router = MongoClients.create(settings.build())) {
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
