package io.shardstore.config.command;

import org.bson.BsonDocument;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.config.resharding.ReshardingCoordinator;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/** {@code _configsvrReshardingStatus: <reshardingUUID>}: how a resharding operation stands ({state, done}, or its error). */
public final class ReshardingStatusCommand extends ConfigCommand {
    private final ReshardingCoordinator coordinator;

    public ReshardingStatusCommand(ConfigContext config, ReshardingCoordinator coordinator) {
        super(config);
        this.coordinator = coordinator;
    }

    @Override
    public String name() {
        return "_configsvrReshardingStatus";
    }

    @Override
    protected boolean exclusive() {
        return false;
    }

    @Override
    protected BsonDocument execute(BsonDocument body, ConfigCatalog catalog) {
        if (!body.isBinary(name())) {
            throw Errors.of(ErrorCode.TypeMismatch, name() + " takes the operation's reshardingUUID");
        }
        BsonDocument reply = coordinator.status(catalog, body.get(name()));
        reply.append("ok", new org.bson.BsonDouble(1));
        return reply;
    }
}
