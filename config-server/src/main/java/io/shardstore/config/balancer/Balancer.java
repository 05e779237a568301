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
 * or from the shard with the most chunks to the one with the fewest when they differ by 2 or more. Zones come
 * first ({@link Zones}): chunks are split at zone range bounds and a chunk on a shard outside its range's zone
 * moves to one of the zone's shards; count balancing only moves a chunk where its zone allows.
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
        if (collection == null || noBalance(collection) || !config.writablePrimary() || !catalog.balancerEnabled()
            || io.shardstore.config.resharding.ReshardingCoordinator.inProgress(collection)) {
            return;
        }
        ChunkMap map = catalog.chunkMap(ns);
        List<BsonDocument> shards = catalog.shards();
        Map<String, Integer> counts = new HashMap<>();
        boolean hashed = map.keyPattern().isHashed();
        java.util.Set<String> plain = new java.util.HashSet<>();
        for (BsonDocument s : shards) {
            if (hashed && s.getBoolean(ConfigCatalog.PLAIN, BsonBoolean.FALSE).getValue()) {
                plain.add(s.getString("_id").getValue()); // hashed keys do not migrate to or from plain shards yet (issue 11)
            } else if (!s.getBoolean("draining", BsonBoolean.FALSE).getValue()) {
                counts.put(s.getString("_id").getValue(), 0);
            }
        }
        if (map.chunks().stream().anyMatch(c -> plain.contains(c.shard()))) {
            return;
        }
        if (counts.isEmpty()) {
            return;
        }
        List<BsonDocument> ranges = new java.util.ArrayList<>(catalog.zoneRanges(ns));
        // Ranges written before the collection was sharded on another key do not apply to its chunks.
        List<String> keyFields = map.keyPattern().fields();
        ranges.removeIf(r -> !keyFields.equals(List.copyOf(r.getDocument("min").keySet())));
        if (!ranges.isEmpty()) {
            map = Zones.splitAtBounds(catalog, collection, ns, map, ranges);
            // First the chunks on a shard outside their range's zone, each to the zone's shard with the fewest chunks.
            Map<String, Integer> before = chunkCounts(map, counts.keySet());
            for (Chunk c : map.chunks()) {
                String zone = Zones.zoneOf(c, ranges);
                if (zone == null) {
                    continue;
                }
                java.util.Set<String> zoneShards = Zones.shardsOf(zone, shards, counts.keySet());
                if (!zoneShards.isEmpty() && !zoneShards.contains(c.shard())) {
                    String to = zoneShards.stream().min(java.util.Comparator.comparing(before::get)).orElseThrow();
                    log.info("balancer: moving {} of {} to {}, a shard of its zone {}", c, ns, to, zone);
                    MoveChunkCommand.move(config, catalog, ns, collection, map, c, to);
                    return;
                }
            }
        }
        Map<String, Integer> chunkCounts = chunkCounts(map, counts.keySet());
        Chunk fromDraining = null;
        for (Chunk c : map.chunks()) {
            if (!counts.containsKey(c.shard()) && fromDraining == null) {
                fromDraining = c;
            }
        }
        String least = chunkCounts.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Chunk toMove = fromDraining;
        if (toMove != null) {
            Chunk draining = toMove;
            // Off a draining shard: to the least loaded shard the chunk's zone allows.
            least = chunkCounts.entrySet().stream().filter(e -> Zones.allowedOn(draining, e.getKey(), ranges, shards, counts.keySet()))
                .min(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(least);
        } else {
            String most = chunkCounts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            if (chunkCounts.get(most) - chunkCounts.get(least) < 2) {
                return;
            }
            String target = least;
            // A chunk the least loaded shard may hold: outside every zone range, or in one of its zones.
            toMove = map.chunksOf(most).stream().filter(c -> Zones.allowedOn(c, target, ranges, shards, counts.keySet()))
                .findFirst().orElse(null);
            if (toMove == null) {
                return;
            }
        }
        log.info("balancer: moving {} of {} to {}", toMove, ns, least);
        MoveChunkCommand.move(config, catalog, ns, collection, map, toMove, least);
    }

    /** Chunks per usable shard (0 for a shard without any). */
    private static Map<String, Integer> chunkCounts(ChunkMap map, java.util.Set<String> usable) {
        Map<String, Integer> counts = new HashMap<>();
        usable.forEach(s -> counts.put(s, 0));
        for (Chunk c : map.chunks()) {
            if (counts.containsKey(c.shard())) {
                counts.merge(c.shard(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static boolean noBalance(BsonDocument collection) {
        return collection.getBoolean("noBalance", BsonBoolean.FALSE).getValue();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
