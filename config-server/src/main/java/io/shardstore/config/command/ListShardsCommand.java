package io.shardstore.config.command;

import org.bson.BsonArray;
import org.bson.BsonDocument;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;

/** listShards: the documents of config.shards. */
public final class ListShardsCommand extends ConfigCommand {

    public ListShardsCommand(ConfigContext config) {
        super(config);
    }

    @Override
    public String name() {
        return "listShards";
    }

    @Override
    protected boolean exclusive() {
        return false;
    }

    @Override
    protected BsonDocument execute(BsonDocument body, ConfigCatalog catalog) {
        return new BsonDocument("shards", new BsonArray(catalog.shards())).append("ok", new org.bson.BsonDouble(1.0));
    }
}
