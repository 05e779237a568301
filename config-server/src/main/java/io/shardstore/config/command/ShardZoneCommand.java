package io.shardstore.config.command;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * addShardToZone / removeShardFromZone ({@code sh.addShardToZone(shard, zone)}): a shard's zones are the {@code tags}
 * of its config.shards document; a zone exists while some shard has it. A shard cannot leave a zone it is the last
 * member of while a range of config.tags still uses the zone (ZoneStillInUse), as on MongoDB.
 */
public final class ShardZoneCommand extends ConfigCommand {
    private final String name;

    public ShardZoneCommand(ConfigContext config, String name) {
        super(config);
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected BsonDocument execute(BsonDocument body, ConfigCatalog catalog) {
        String shard = string(body, name);
        String zone = string(body, "zone");
        boolean add = name.equals("addShardToZone");
        if (add) {
            if (!catalog.addShardToZone(shard, zone)) {
                throw Errors.of(ErrorCode.ShardNotFound, "shard " + shard + " does not exist");
            }
            return ok();
        }
        BsonDocument doc = catalog.shard(shard);
        if (doc == null) {
            throw Errors.of(ErrorCode.ShardNotFound, "shard " + shard + " does not exist");
        }
        boolean others = catalog.shards().stream().anyMatch(s -> !s.getString("_id").getValue().equals(shard)
            && s.getArray("tags", new BsonArray()).contains(new org.bson.BsonString(zone)));
        boolean used = catalog.allZoneRanges().stream().anyMatch(r -> zone.equals(r.getString("tag").getValue()));
        if (!others && used && doc.getArray("tags", new BsonArray()).contains(new org.bson.BsonString(zone))) {
            throw Errors.of(ErrorCode.ZoneStillInUse, "cannot remove a shard from zone " + zone
                + " if a chunk range is associated with it");
        }
        catalog.removeShardFromZone(shard, zone);
        return ok();
    }

    private String string(BsonDocument body, String field) {
        BsonValue v = body.get(field);
        if (v == null) {
            throw Errors.of(ErrorCode.NoSuchKey, "BSON field '" + name + "." + field + "' is missing but a required field");
        }
        if (!v.isString()) {
            throw Errors.of(ErrorCode.TypeMismatch, "BSON field '" + name + "." + field + "' is the wrong type '"
                + v.getBsonType().name().toLowerCase(java.util.Locale.ROOT) + "', expected type 'string'");
        }
        return v.asString().getValue();
    }
}
