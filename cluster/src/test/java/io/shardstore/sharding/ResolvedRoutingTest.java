package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CompletableFuture;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.router.topology.CatalogCache;
import io.shardstore.router.topology.Routing;

/**
 * The router's resolved routings: a collection's routing is reused as long as nothing it was made from changed,
 * and a refresh, a dropped database's invalidation or a new shard list makes the next request resolve it again.
 */
class ResolvedRoutingTest {

    @Test
    void reusedUntilTheCatalogChanges() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(2);
             MongoClient router = MongoClients.create(cluster.uri());
             MongoClient config = MongoClients.create(cluster.configUri());
             CatalogCache cache = new CatalogCache(config)) {
            router.getDatabase("admin").runCommand(new Document("enableSharding", "rr"));
            router.getDatabase("admin").runCommand(new Document("shardCollection", "rr.c").append("key", new Document("_id", "hashed")));

            CompletableFuture<Routing> first = settled(cache);
            assertInstanceOf(Routing.Sharded.class, first.join());
            assertSame(first, cache.routing("rr", "c"), "nothing changed: the same resolved routing");

            router.getDatabase("admin").runCommand(new Document("split", "rr.c").append("middle", new Document("_id", 12345L)));
            cache.refresh("rr.c").join();
            CompletableFuture<Routing> afterRefresh = settled(cache);
            assertNotSame(first, afterRefresh, "a refresh makes it resolve again");
            assertNotSame(((Routing.Sharded) first.join()).chunks(), ((Routing.Sharded) afterRefresh.join()).chunks(),
                "and from the refreshed map");

            cache.invalidateDatabase("rr");
            CompletableFuture<Routing> afterDrop = settled(cache);
            assertNotSame(afterRefresh, afterDrop);

            cache.invalidateShards();
            assertNotSame(afterDrop, cache.routing("rr", "c"));
        }
    }

    /** Asks until the routing comes from the resolved table (the first asks may still be loading). */
    private static CompletableFuture<Routing> settled(CatalogCache cache) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        CompletableFuture<Routing> previous = cache.routing("rr", "c");
        while (System.nanoTime() < deadline) {
            previous.join();
            CompletableFuture<Routing> next = cache.routing("rr", "c");
            if (next == previous) {
                return next;
            }
            previous = next;
        }
        throw new AssertionError("the routing of rr.c was never reused");
    }
}
