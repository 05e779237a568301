package io.shardstore.config.command;

import org.bson.BsonDocument;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.sharding.ChunkMap;

/**
 * {@code _configsvrDropCollection: ns} / {@code _configsvrDropDatabase: db}: forget a dropped collection's (or
 * database's) sharding metadata, and tell its shards it is no longer sharded. The router drops the data.
 */
public final class DropMetadataCommand extends ConfigCommand {
    private final boolean database;

    public DropMetadataCommand(ConfigContext config, boolean database) {
        super(config);
        this.database = database;
    }

    @Override
    public String name() {
        return database ? "_configsvrDropDatabase" : "_configsvrDropCollection";
    }

    @Override
    protected BsonDocument execute(BsonDocument body, ConfigCatalog catalog) {
        if (!body.isString(name())) {
            throw Errors.of(ErrorCode.InvalidNamespace, name() + " needs a name");
        }
        String target = body.getString(name()).getValue();
        if (database) {
            for (BsonDocument c : catalog.collections()) {
                String ns = c.getString("_id").getValue();
                if (ns.startsWith(target + ".")) {
                    forget(catalog, ns);
                }
            }
            catalog.removeDatabase(target);
        } else {
            forget(catalog, target);
        }
        return ok();
    }

    private void forget(ConfigCatalog catalog, String ns) {
        ChunkMap map = catalog.chunkMap(ns);
        if (map == null) {
            return;
        }
        catalog.removeCollection(ns);
        for (String shard : map.allShards()) {
            Placement.tell(config, catalog, shard, ns, null);
        }
    }
}
