package io.shardstore.config.balancer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.config.command.MoveChunkCommand;
import io.shardstore.sharding.Chunk;
import io.shardstore.sharding.ChunkMap;

/**
 * Evens out chunk counts: each round, for each balanced collection, moves one chunk off a draining shard,
 * or from the shard with the most chunks to the one with the fewest when they differ by 2 or more.
 * Rounds run while {@code config.settings {_id: "balancer"}} is not stopped, and on a config replica set only on
 * its primary (checked every round and before each move).
 */
public final class Balancer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Balancer.class);

    private final ConfigContext config;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "balancer");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean inRound = new AtomicBoolean();
    private final AtomicLong rounds = new AtomicLong();

    public Balancer(ConfigContext config, long intervalMillis) {
        this.config = config;
        timer.scheduleWithFixedDelay(this::round, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    public boolean inRound() {
        return inRound.get();
    }

    public long rounds() {
        return rounds.get();
    }

    private void round() {
        try {
            // Only the config primary balances; after a failover the new primary's rounds take over.
            ConfigCatalog catalog = config.catalogIfPrimary();
            if (catalog == null || !catalog.balancerEnabled()) {
                return;
            }
            inRound.set(true);
            rounds.incrementAndGet();
            for (BsonDocument collection : catalog.collections()) {
                if (!noBalance(collection)) {
                    config.exclusive(() -> {
                        balance(catalog, collection.getString("_id").getValue());
                        return null;
                    });
                }
            }
        } catch (RuntimeException e) {
            log.warn("balancer round failed: {}", e.toString());
        } finally {
            inRound.set(false);
        }
    }

    private void balance(ConfigCatalog catalog, String ns) {
        BsonDocument collection = catalog.collection(ns);
        // Read again under the DDL lock: balancing may have been switched off for it since the round began.
        if (collection == null || noBalance(collection) || !config.writablePrimary() || !catalog.balancerEnabled()) {
            return;
        }
        ChunkMap map = catalog.chunkMap(ns);
        List<BsonDocument> shards = catalog.shards();
        Map<String, Integer> counts = new HashMap<>();
        for (BsonDocument s : shards) {
            if (!s.getBoolean("draining", BsonBoolean.FALSE).getValue()) {
                counts.put(s.getString("_id").getValue(), 0);
            }
        }
        if (counts.isEmpty()) {
            return;
        }
        Chunk fromDraining = null;
        for (Chunk c : map.chunks()) {
            if (counts.containsKey(c.shard())) {
                counts.merge(c.shard(), 1, Integer::sum);
            } else if (fromDraining == null) {
                fromDraining = c;
            }
        }
        String least = counts.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Chunk toMove = fromDraining;
        if (toMove == null) {
            String most = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            if (counts.get(most) - counts.get(least) < 2) {
                return;
            }
            toMove = map.chunksOf(most).get(0);
        }
        log.info("balancer: moving {} of {} to {}", toMove, ns, least);
        MoveChunkCommand.move(config, catalog, ns, collection, map, toMove, least);
    }

    private static boolean noBalance(BsonDocument collection) {
        return collection.getBoolean("noBalance", BsonBoolean.FALSE).getValue();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
