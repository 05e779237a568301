package io.shardstore.config.command;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;

import com.mongodb.client.MongoClient;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.sharding.ConnectionStrings;

/** addShard: checks the new shard answers hello, then records it in config.shards as "shardN" (or the given name). */
public final class AddShardCommand extends ConfigCommand {

    public AddShardCommand(ConfigContext config) {
        super(config);
    }

    @Override
    public String name() {
        return "addShard";
    }

    @Override
    protected BsonDocument execute(BsonDocument body, ConfigCatalog catalog) {
        if (!body.isString("addShard") || body.getString("addShard").getValue().isBlank()) {
            throw Errors.of(ErrorCode.BadValue, "addShard needs a host string: 'host:port' or 'replSet/host:port,...'");
        }
        String host = body.getString("addShard").getValue();
        for (BsonDocument existing : catalog.shards()) {
            if (existing.getString("host").getValue().equals(host)) {
                return new BsonDocument("shardAdded", existing.get("_id")).append("ok", new org.bson.BsonDouble(1.0));
            }
        }
        try (MongoClient probe = config.probe(ConnectionStrings.of(host))) {
            probe.getDatabase("admin").runCommand(new org.bson.Document("hello", 1));
        } catch (RuntimeException e) {
            throw Errors.of(ErrorCode.OperationFailed, "couldn't connect to new shard " + host + ": " + e.getMessage());
        }
        String name = body.isString("name") ? body.getString("name").getValue() : nextName(catalog);
        if (catalog.shard(name) != null) {
            throw Errors.of(ErrorCode.IllegalOperation, "a shard named " + name + " already exists");
        }
        catalog.insertShard(new BsonDocument("_id", new BsonString(name)).append("host", new BsonString(host))
            .append("state", new BsonInt32(1)).append("topologyTime", new org.bson.BsonTimestamp((int) (System.currentTimeMillis() / 1000), 1)));
        return new BsonDocument("shardAdded", new BsonString(name)).append("ok", new org.bson.BsonDouble(1.0));
    }

    private static String nextName(ConfigCatalog catalog) {
        int n = 0;
        while (catalog.shard("shard" + n) != null) {
            n++;
        }
        return "shard" + n;
    }
}
