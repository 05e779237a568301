package io.shardstore.config.command;

import org.bson.BsonDocument;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.config.resharding.ReshardingCoordinator;

/**
 * abortReshardCollection: stops the resharding of a namespace before its commit and waits until nothing of it is left;
 * NoSuchReshardCollection (339) when none runs, ReshardCollectionCommitted (340) once it has decided to commit.
 */
public final class AbortReshardCollectionCommand extends ConfigCommand {
    private final ReshardingCoordinator coordinator;

    public AbortReshardCollectionCommand(ConfigContext config, ReshardingCoordinator coordinator) {
        super(config);
        this.coordinator = coordinator;
    }

    @Override
    public String name() {
        return "abortReshardCollection";
    }

    @Override
    protected boolean exclusive() {
        return false;
    }

    @Override
    protected BsonDocument execute(BsonDocument body, ConfigCatalog catalog) {
        return coordinator.abort(catalog, nsArgument(body, name()));
    }
}
