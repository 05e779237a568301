package io.shardstore.config.command;

import org.bson.BsonDocument;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/** {@code _configsvrCreateDatabase: name}: the router's "where does this database live", creating the entry on first use. */
public final class CreateDatabaseCommand extends ConfigCommand {

    public CreateDatabaseCommand(ConfigContext config) {
        super(config);
    }

    @Override
    public String name() {
        return "_configsvrCreateDatabase";
    }

    @Override
    protected BsonDocument execute(BsonDocument body, ConfigCatalog catalog) {
        if (!body.isString(name()) || body.getString(name()).getValue().isEmpty()) {
            throw Errors.of(ErrorCode.InvalidNamespace, name() + " needs a database name");
        }
        BsonDocument entry = Placement.ensureDatabase(catalog, body.getString(name()).getValue(), null);
        return new BsonDocument("database", entry).append("ok", new org.bson.BsonDouble(1.0));
    }
}
