package io.shardstore.config.command;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonTimestamp;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.ChunkVersion;

/** Where data goes: primary shards for new databases, and telling shards their collection versions. */
final class Placement {

    private Placement() {
    }

    /** The database's entry, created with the shard holding the fewest primaries when missing. */
    static BsonDocument ensureDatabase(ConfigCatalog catalog, String db, String wantedPrimary) {
        if (db.equals("admin") || db.equals("config") || db.equals("local")) {
            throw Errors.of(ErrorCode.InvalidOptions, "cannot place database '" + db + "' on a shard");
        }
        BsonDocument existing = catalog.database(db);
        if (existing != null) {
            return existing;
        }
        List<BsonDocument> shards = catalog.shards().stream().filter(s -> !s.getBoolean("draining", org.bson.BsonBoolean.FALSE).getValue()).toList();
        if (shards.isEmpty()) {
            throw Errors.of(ErrorCode.ShardNotFound, "no shards found: add one with addShard first");
        }
        String primary = wantedPrimary;
        if (primary == null) {
            Map<String, Integer> load = new HashMap<>();
            shards.forEach(s -> load.put(s.getString("_id").getValue(), 0));
            for (BsonDocument d : catalog.databases()) {
                load.computeIfPresent(d.getString("primary").getValue(), (k, v) -> v + 1);
            }
            primary = shards.stream().map(s -> s.getString("_id").getValue())
                .min((a, b) -> load.get(a) != load.get(b).intValue() ? Integer.compare(load.get(a), load.get(b)) : a.compareTo(b))
                .orElseThrow();
        } else if (catalog.shard(primary) == null) {
            throw Errors.of(ErrorCode.ShardNotFound, "shard " + primary + " not found");
        }
        int now = (int) (System.currentTimeMillis() / 1000);
        BsonDocument doc = new BsonDocument("_id", new BsonString(db))
            .append("primary", new BsonString(primary))
            .append("partitioned", org.bson.BsonBoolean.TRUE)
            .append("version", new BsonDocument("uuid", ConfigCatalog.newUuid())
                .append("timestamp", new BsonTimestamp(now, 1)).append("lastMod", new org.bson.BsonInt32(1)));
        catalog.upsertDatabase(doc);
        return doc;
    }

    /** Sends each shard that owns chunks (and each in {@code alsoTell}) its version of the collection. */
    static void pushVersions(ConfigContext config, ConfigCatalog catalog, String ns, ChunkMap map, ChunkVersion forOthers,
                             String... alsoTell) {
        java.util.Set<String> shards = new java.util.LinkedHashSet<>(map.allShards());
        shards.addAll(List.of(alsoTell));
        for (String shard : shards) {
            ChunkVersion v = map.allShards().contains(shard) ? map.shardVersion(shard) : forOthers;
            tell(config, catalog, shard, ns, v == null ? null : v.toShardVersion());
        }
    }

    static void tell(ConfigContext config, ConfigCatalog catalog, String shard, String ns, BsonDocument version) {
        if (catalog.isPlain(shard)) {
            return; // a plain shard keeps no shard versions: the router never sends it one (issue 11)
        }
        config.shard(catalog, shard).getDatabase("admin").runCommand(new BsonDocument("_shardsvrSetShardVersion", new BsonString(ns))
            .append("version", version == null ? BsonNull.VALUE : version));
    }
}
