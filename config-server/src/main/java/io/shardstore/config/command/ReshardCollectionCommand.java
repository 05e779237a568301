package io.shardstore.config.command;

import org.bson.BsonDocument;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.config.resharding.ReshardingCoordinator;

/**
 * {@code _configsvrReshardCollection: ns, key, unique, numInitialChunks, collation, zones}: starts resharding and answers
 * at once with its {@code reshardingUUID} (or {@code noop} when the key is already that one); the router's
 * reshardCollection polls {@code _configsvrReshardingStatus} until it ends, so no connection waits for minutes.
 */
public final class ReshardCollectionCommand extends ConfigCommand {
    private final ReshardingCoordinator coordinator;

    public ReshardCollectionCommand(ConfigContext config, ReshardingCoordinator coordinator) {
        super(config);
        this.coordinator = coordinator;
    }

    @Override
    public String name() {
        return "_configsvrReshardCollection";
    }

    @Override
    protected boolean exclusive() {
        return false; // the coordinator takes the DDL lock for the start and the commit only
    }

    @Override
    protected BsonDocument execute(BsonDocument body, ConfigCatalog catalog) {
        for (BsonDocument shard : catalog.shards()) {
            // Resharding copies with our nodes' change captures on every shard (issue 11: not over plain shards yet).
            if (shard.getBoolean(ConfigCatalog.PLAIN, org.bson.BsonBoolean.FALSE).getValue()) {
                throw Errors.of(ErrorCode.IllegalOperation, "reshardCollection over plain shards is not supported yet: "
                    + shard.getString("_id").getValue() + " is a plain shard (a mongod without this project's sharding support)");
            }
        }
        BsonDocument reply = coordinator.start(catalog, nsArgument(body, name()), body);
        reply.append("ok", new org.bson.BsonDouble(1));
        return reply;
    }
}
