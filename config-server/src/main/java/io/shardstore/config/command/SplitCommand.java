package io.shardstore.config.command;

import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonValue;

import com.mongodb.client.MongoCollection;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.sharding.Chunk;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.KeyOrder;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * split: at {@code middle}, or at the median of the chunk named by {@code find} / {@code bounds} (for a
 * hashed key, the middle of its hash range). Splitting moves no data, so only minor versions change.
 */
public final class SplitCommand extends ConfigCommand {

    public SplitCommand(ConfigContext config) {
        super(config);
    }

    @Override
    public String name() {
        return "split";
    }

    @Override
    protected BsonDocument execute(BsonDocument body, ConfigCatalog catalog) {
        String ns = nsArgument(body, name());
        BsonDocument collection = catalog.collection(ns);
        if (collection == null) {
            throw Errors.of(ErrorCode.NamespaceNotSharded, ns + " is not sharded");
        }
        if (io.shardstore.config.resharding.ReshardingCoordinator.inProgress(collection)) {
            throw io.shardstore.config.resharding.ReshardingCoordinator.conflict(ns);
        }
        ChunkMap map = catalog.chunkMap(ns);
        ShardKeyPattern key = map.keyPattern();
        Chunk chunk;
        BsonDocument at;
        if (body.isDocument("middle")) {
            at = ChunkLookup.keyFromBounds(key, body.getDocument("middle"));
            chunk = map.chunkFor(at);
        } else {
            chunk = ChunkLookup.byFindOrBounds(map, body, ns);
            at = median(catalog, ns, key, chunk);
        }
        if (KeyOrder.INSTANCE.compare(at, chunk.min()) <= 0 || KeyOrder.INSTANCE.compare(at, chunk.max()) >= 0) {
            throw Errors.of(ErrorCode.CannotSplit, "split key " + at.toJson() + " is a boundary key of chunk " + chunk);
        }
        ChunkEdits.split(catalog, collection.get("uuid"), chunk, at, map.collectionVersion());
        return ok();
    }

    private BsonDocument median(ConfigCatalog catalog, String ns, ShardKeyPattern key, Chunk chunk) {
        if (key.isHashed() && key.fields().size() == 1) {
            long lo = bound(chunk.min().get(key.fields().get(0)), Long.MIN_VALUE);
            long hi = bound(chunk.max().get(key.fields().get(0)), Long.MAX_VALUE);
            return new BsonDocument(key.fields().get(0), new BsonInt64(lo + (hi - lo) / 2));
        }
        String db = ns.substring(0, ns.indexOf('.'));
        MongoCollection<BsonDocument> coll = config.shard(catalog, chunk.shard()).getDatabase(db)
            .getCollection(ns.substring(db.length() + 1), BsonDocument.class);
        java.util.List<BsonDocument> keys = new java.util.ArrayList<>();
        for (BsonDocument doc : coll.find()) {
            if (key.firstMissingField(doc) == null) {
                BsonDocument k = key.keyOf(doc);
                if (chunk.contains(k)) {
                    keys.add(k);
                }
            }
        }
        keys.sort(KeyOrder.INSTANCE);
        if (keys.size() < 2) {
            throw Errors.of(ErrorCode.CannotSplit, "cannot find median in chunk " + chunk + ", possibly empty");
        }
        BsonDocument median = keys.get(keys.size() / 2);
        if (KeyOrder.INSTANCE.compare(median, chunk.min()) == 0) {
            throw Errors.of(ErrorCode.CannotSplit, "cannot split chunk " + chunk + ": its documents share one key");
        }
        return median;
    }

    private static long bound(BsonValue v, long infinite) {
        return v.isNumber() ? v.asNumber().longValue() : infinite;
    }
}
