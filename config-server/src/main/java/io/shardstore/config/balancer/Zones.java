package io.shardstore.config.balancer;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;

import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.config.command.ChunkEdits;
import io.shardstore.sharding.Chunk;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.KeyOrder;

/**
 * What zones ask of the balancer (MongoDB's rules): chunks are split at every zone range's bounds, so each chunk is
 * wholly inside one range or outside all; a chunk inside a range lives on a shard of that range's zone; chunks
 * outside every range may live anywhere. Ranges are config.tags documents, zones the shards' tags.
 */
final class Zones {

    private Zones() {
    }

    /** Splits every chunk that a range bound falls strictly inside; returns the map after the splits. */
    static ChunkMap splitAtBounds(ConfigCatalog catalog, BsonDocument collection, String ns, ChunkMap map, List<BsonDocument> ranges) {
        ChunkMap current = map;
        for (BsonDocument r : ranges) {
            for (String end : new String[] {"min", "max"}) {
                BsonDocument at = r.getDocument(end);
                if (!current.keyPattern().fields().equals(List.copyOf(at.keySet()))) {
                    continue; // a range written before the collection was sharded on another key: not applicable
                }
                Chunk c = current.chunkFor(at);
                if (c != null && KeyOrder.INSTANCE.compare(c.min(), at) < 0 && KeyOrder.INSTANCE.compare(at, c.max()) < 0) {
                    ChunkEdits.split(catalog, collection.get("uuid"), c, at, current.collectionVersion());
                    current = catalog.chunkMap(ns);
                }
            }
        }
        return current;
    }

    /** The zone of the range holding the chunk whole, or null. */
    static String zoneOf(Chunk c, List<BsonDocument> ranges) {
        for (BsonDocument r : ranges) {
            if (KeyOrder.INSTANCE.compare(r.getDocument("min"), c.min()) <= 0 && KeyOrder.INSTANCE.compare(c.max(), r.getDocument("max")) <= 0) {
                return r.getString("tag").getValue();
            }
        }
        return null;
    }

    /** The shards, among {@code usable}, that have {@code zone}. */
    static Set<String> shardsOf(String zone, List<BsonDocument> shards, Collection<String> usable) {
        Set<String> out = new LinkedHashSet<>();
        for (BsonDocument s : shards) {
            String name = s.getString("_id").getValue();
            if (usable.contains(name) && s.getArray("tags", new BsonArray()).contains(new BsonString(zone))) {
                out.add(name);
            }
        }
        return out;
    }

    /** Whether the chunk may live on {@code shard}: outside every range, or the shard has the range's zone. */
    static boolean allowedOn(Chunk c, String shard, List<BsonDocument> ranges, List<BsonDocument> shards, Collection<String> usable) {
        String zone = zoneOf(c, ranges);
        return zone == null || shardsOf(zone, shards, usable).contains(shard);
    }
}
