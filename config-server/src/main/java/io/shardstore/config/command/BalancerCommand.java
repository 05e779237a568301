package io.shardstore.config.command;

import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.balancer.Balancer;
import io.shardstore.config.catalog.ConfigCatalog;

/** balancerStatus / balancerStart / balancerStop: read or flip {@code config.settings {_id: "balancer"}}. */
public final class BalancerCommand extends ConfigCommand {
    private final String name;
    private final java.util.function.Supplier<Balancer> balancer;

    public BalancerCommand(ConfigContext config, String name, java.util.function.Supplier<Balancer> balancer) {
        super(config);
        this.name = name;
        this.balancer = balancer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected boolean exclusive() {
        return false;
    }

    @Override
    protected BsonDocument execute(BsonDocument body, ConfigCatalog catalog) {
        switch (name) {
            case "balancerStart" -> catalog.setBalancerStopped(false);
            case "balancerStop" -> catalog.setBalancerStopped(true);
            default -> {
                Balancer b = balancer.get();
                return new BsonDocument("mode", new BsonString(catalog.balancerEnabled() ? "full" : "off"))
                    .append("inBalancerRound", BsonBoolean.valueOf(b != null && b.inRound()))
                    .append("numBalancerRounds", new BsonInt64(b == null ? 0 : b.rounds()))
                    .append("ok", new org.bson.BsonDouble(1.0));
            }
        }
        return ok();
    }
}
