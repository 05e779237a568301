package io.shardstore.config.command;

import org.bson.BsonDocument;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/** enableSharding: makes sure the database has an entry and a primary shard (every database can hold sharded collections). */
public final class EnableShardingCommand extends ConfigCommand {

    public EnableShardingCommand(ConfigContext config) {
        super(config);
    }

    @Override
    public String name() {
        return "enableSharding";
    }

    @Override
    protected BsonDocument execute(BsonDocument body, ConfigCatalog catalog) {
        if (!body.isString("enableSharding") || body.getString("enableSharding").getValue().isEmpty()
            || body.getString("enableSharding").getValue().contains(".")) {
            throw Errors.of(ErrorCode.InvalidNamespace, "enableSharding needs a database name");
        }
        String db = body.getString("enableSharding").getValue();
        String primary = body.isString("primaryShard") ? body.getString("primaryShard").getValue() : null;
        BsonDocument entry = Placement.ensureDatabase(catalog, db, primary);
        if (primary != null && !entry.getString("primary").getValue().equals(primary)) {
            throw Errors.of(ErrorCode.NamespaceExists, "database " + db + " already has primary shard " + entry.getString("primary").getValue());
        }
        return ok();
    }
}
