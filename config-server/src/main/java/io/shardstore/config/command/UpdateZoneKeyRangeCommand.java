package io.shardstore.config.command;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.sharding.KeyOrder;

/**
 * updateZoneKeyRange ({@code sh.updateZoneKeyRange(ns, min, max, zone)}, {@code sh.removeRangeFromZone} with zone
 * null): assigns the shard-key range [min, max) of a collection to a zone (config.tags), or removes it. The balancer
 * then splits chunks at the range's bounds and moves the range's chunks to the zone's shards. MongoDB's checks: the
 * zone must exist (a shard has it), min below max, the bounds in the shard key's shape when the collection is sharded,
 * no overlap with another range.
 */
public final class UpdateZoneKeyRangeCommand extends ConfigCommand {

    public UpdateZoneKeyRangeCommand(ConfigContext config) {
        super(config);
    }

    @Override
    public String name() {
        return "updateZoneKeyRange";
    }

    @Override
    protected BsonDocument execute(BsonDocument body, ConfigCatalog catalog) {
        String ns = nsArgument(body, name());
        BsonDocument min = bound(body, "min");
        BsonDocument max = bound(body, "max");
        BsonValue zoneValue = body.get("zone");
        if (zoneValue == null || !zoneValue.isString() && !zoneValue.isNull()) {
            throw Errors.of(ErrorCode.TypeMismatch, "\"zone\" had the wrong type. Expected string or null, found "
                + (zoneValue == null ? "missing" : zoneValue.getBsonType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        if (KeyOrder.INSTANCE.compare(min, max) >= 0) {
            throw Errors.of(ErrorCode.FailedToParse, "min: " + min.toJson() + " should be less than max: " + max.toJson());
        }
        BsonDocument collection = catalog.collection(ns);
        if (collection != null) {
            BsonDocument key = collection.getDocument("key");
            java.util.List<String> fields = new java.util.ArrayList<>(key.keySet());
            if (!fields.equals(new java.util.ArrayList<>(min.keySet())) || !fields.equals(new java.util.ArrayList<>(max.keySet()))) {
                throw Errors.of(ErrorCode.ShardKeyNotFound, "min: " + min.toJson() + " and max: " + max.toJson()
                    + " must have the fields of the shard key " + key.toJson() + " of " + ns + ", in its order");
            }
        }
        if (zoneValue.isNull()) {
            catalog.removeZoneRange(ns, min, max);
            return ok();
        }
        String zone = zoneValue.asString().getValue();
        boolean exists = catalog.shards().stream()
            .anyMatch(s -> s.getArray("tags", new BsonArray()).contains(new BsonString(zone)));
        if (!exists) {
            throw Errors.of(ErrorCode.ZoneNotFound, "zone " + zone + " does not exist");
        }
        for (BsonDocument r : catalog.zoneRanges(ns)) {
            BsonDocument rMin = r.getDocument("min");
            BsonDocument rMax = r.getDocument("max");
            boolean same = KeyOrder.INSTANCE.compare(rMin, min) == 0 && KeyOrder.INSTANCE.compare(rMax, max) == 0;
            boolean overlaps = KeyOrder.INSTANCE.compare(min, rMax) < 0 && KeyOrder.INSTANCE.compare(rMin, max) < 0;
            if (overlaps && !same) {
                throw Errors.of(ErrorCode.RangeOverlapConflict, "Zone range: " + new BsonDocument("min", min).append("max", max).toJson()
                    + " is overlapping with existing: " + new BsonDocument("min", rMin).append("max", rMax).toJson());
            }
        }
        catalog.upsertZoneRange(ns, min, max, zone);
        return ok();
    }

    private static BsonDocument bound(BsonDocument body, String field) {
        BsonValue v = body.get(field);
        if (v == null || !v.isDocument()) {
            throw Errors.of(ErrorCode.TypeMismatch, "BSON field 'updateZoneKeyRange." + field + "' is the wrong type, expected type 'object'");
        }
        if (v.asDocument().isEmpty()) {
            throw Errors.of(ErrorCode.BadValue, "The field '" + field + "' cannot be empty");
        }
        return v.asDocument();
    }
}
