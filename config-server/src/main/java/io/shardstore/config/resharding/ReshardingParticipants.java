package io.shardstore.config.resharding;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

import com.mongodb.MongoCommandException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.ChunkVersion;

/**
 * What the coordinator asks of the shards, from the operation's persisted document alone, so that a new config primary
 * can finish or undo an operation the old one started: the commit (catalog, then each shard's switch to the new
 * collection and version, then the donors' critical sections end) and the abort (critical sections end, captures stop,
 * the temporary collections go). Both can run again after a partial run.
 */
final class ReshardingParticipants {
    private static final int NAMESPACE_NOT_FOUND = 26;

    private ReshardingParticipants() {
    }

    static List<String> names(BsonDocument op, String field) {
        List<String> out = new ArrayList<>();
        for (BsonValue v : op.getArray(field, new BsonArray())) {
            out.add(v.asString().getValue());
        }
        return out;
    }

    static void admin(ConfigContext config, ConfigCatalog catalog, String shard, BsonDocument command) {
        MongoClient client = config.shard(catalog, shard);
        client.getDatabase("admin").runCommand(command);
    }

    static void criticalSection(ConfigContext config, ConfigCatalog catalog, String shard, String ns, boolean enter) {
        admin(config, catalog, shard, new BsonDocument("_shardsvrCriticalSection", new BsonString(ns)).append("enter", BsonBoolean.valueOf(enter)));
    }

    static void capture(ConfigContext config, ConfigCatalog catalog, String shard, String ns, String action) {
        admin(config, catalog, shard, new BsonDocument("_shardsvrMigrationCapture", new BsonString(ns)).append("action", new BsonString(action)));
    }

    /** Releases the donors and drops the temporary collections; what is already gone is skipped. */
    static void abort(ConfigContext config, ConfigCatalog catalog, BsonDocument op) {
        String ns = op.getString("ns").getValue();
        String tempNs = op.getString("tempNs").getValue();
        for (String donor : names(op, "donorShards")) {
            criticalSection(config, catalog, donor, ns, false);
            capture(config, catalog, donor, ns, "stop");
        }
        String db = tempNs.substring(0, tempNs.indexOf('.'));
        for (String recipient : names(op, "recipientShards")) {
            try {
                config.shard(catalog, recipient).getDatabase(db).runCommand(
                    new BsonDocument("drop", new BsonString(tempNs.substring(db.length() + 1))));
            } catch (MongoCommandException e) {
                if (e.getErrorCode() != NAMESPACE_NOT_FOUND) {
                    throw e;
                }
            }
        }
        catalog.setReshardingFields(ns, op.get("oldCollectionUUID"), null);
    }

    /**
     * Makes the decided layout the collection's: the catalog first (routers that refresh from now on get the new key;
     * a shard still on the old version answers them StaleConfig until its own switch, which they retry), then each
     * shard in one step, then the donors' held writes go on (and meet StaleConfig, so their routers retarget them).
     */
    static void commit(ConfigContext config, ConfigCatalog catalog, BsonDocument op) {
        String ns = op.getString("ns").getValue();
        BsonDocument newCollection = op.getDocument("newCollection");
        config.exclusive(() -> {
            BsonDocument current = catalog.collection(ns);
            if (current == null || !current.get("uuid").equals(newCollection.get("uuid"))) {
                if (current != null) {
                    catalog.deleteChunks(current.get("uuid"));
                }
                List<BsonDocument> chunks = new ArrayList<>();
                op.getArray("newChunks").forEach(c -> chunks.add(c.asDocument()));
                catalog.deleteChunks(newCollection.get("uuid"));
                catalog.insertChunks(chunks);
                catalog.upsertCollection(newCollection);
                if (op.isArray("zones")) {
                    List<BsonDocument> zones = new ArrayList<>();
                    op.getArray("zones").forEach(z -> zones.add(z.asDocument()));
                    catalog.replaceZoneRanges(ns, zones);
                } else {
                    // Ranges of the old key do not describe the new one; ranges already on the new key's fields stay.
                    List<String> fields = new ArrayList<>(newCollection.getDocument("key").keySet());
                    List<BsonDocument> kept = new ArrayList<>();
                    for (BsonDocument r : catalog.zoneRanges(ns)) {
                        if (fields.equals(new ArrayList<>(r.getDocument("min").keySet()))) {
                            kept.add(new BsonDocument("min", r.getDocument("min")).append("max", r.getDocument("max"))
                                .append("zone", r.getString("tag")));
                        }
                    }
                    catalog.replaceZoneRanges(ns, kept);
                }
            }
            return null;
        });
        ChunkMap map = catalog.chunkMap(ns);
        ChunkVersion top = map.collectionVersion();
        ChunkVersion others = new ChunkVersion(top.major(), 0, top.epoch(), top.timestamp());
        String tempNs = op.getString("tempNs").getValue();
        java.util.Set<String> shards = new java.util.LinkedHashSet<>(names(op, "donorShards"));
        shards.addAll(names(op, "recipientShards"));
        for (String shard : shards) {
            ChunkVersion v = map.allShards().contains(shard) ? map.shardVersion(shard) : others;
            BsonDocument command = new BsonDocument("_shardsvrCommitResharding", new BsonString(ns))
                .append("temp", names(op, "recipientShards").contains(shard) ? new BsonString(tempNs) : BsonNull.VALUE)
                .append("version", v.toShardVersion())
                .append("writeConcern", WriteConcern.MAJORITY.asDocument());
            admin(config, catalog, shard, command);
        }
        for (String donor : names(op, "donorShards")) {
            criticalSection(config, catalog, donor, ns, false);
            capture(config, catalog, donor, ns, "stop");
        }
    }
}
