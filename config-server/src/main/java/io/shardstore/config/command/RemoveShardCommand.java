package io.shardstore.config.command;

import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * removeShard: the first call starts draining (the balancer moves the shard's chunks away); later calls
 * report progress, and remove the shard once it owns no chunk and is no database's primary.
 */
public final class RemoveShardCommand extends ConfigCommand {

    public RemoveShardCommand(ConfigContext config) {
        super(config);
    }

    @Override
    public String name() {
        return "removeShard";
    }

    @Override
    protected BsonDocument execute(BsonDocument body, ConfigCatalog catalog) {
        if (!body.isString(name())) {
            throw Errors.of(ErrorCode.BadValue, "removeShard needs a shard name");
        }
        String name = body.getString(name()).getValue();
        BsonDocument shard = catalog.shard(name);
        if (shard == null) {
            throw Errors.of(ErrorCode.ShardNotFound, "Shard " + name + " not found");
        }
        if (catalog.shards().size() == 1) {
            throw Errors.of(ErrorCode.IllegalOperation, "Operation not allowed because it would remove the last shard");
        }
        long chunks = 0;
        for (BsonDocument c : catalog.collections()) {
            io.shardstore.sharding.ChunkMap map = catalog.chunkMap(c.getString("_id").getValue());
            int here = map.chunksOf(name).size();
            if (here > 0) {
                // Draining moves its chunks away, which a plain shard can do for range keys only: refused, never "ongoing" forever.
                MoveChunkCommand.refuseOnPlainShards(catalog, map.keyPattern(), name);
            }
            chunks += here;
        }
        long dbs = catalog.databases().stream().filter(d -> d.getString("primary").getValue().equals(name)).count();
        boolean draining = shard.getBoolean("draining", BsonBoolean.FALSE).getValue();
        if (!draining) {
            shard.put("draining", BsonBoolean.TRUE);
            catalog.replaceShard(shard);
            return status("started", "draining started successfully", name, chunks, dbs);
        }
        if (chunks == 0 && dbs == 0) {
            catalog.removeShard(name);
            return status("completed", "removeshard completed successfully", name, 0, 0);
        }
        return status("ongoing", "draining ongoing", name, chunks, dbs);
    }

    private static BsonDocument status(String state, String msg, String shard, long chunks, long dbs) {
        return new BsonDocument("msg", new BsonString(msg)).append("state", new BsonString(state)).append("shard", new BsonString(shard))
            .append("remaining", new BsonDocument("chunks", new BsonInt64(chunks)).append("dbs", new BsonInt64(dbs)))
            .append("ok", new org.bson.BsonDouble(1.0));
    }
}
