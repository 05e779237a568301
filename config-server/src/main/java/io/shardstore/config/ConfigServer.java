package io.shardstore.config;

import io.shardstore.config.balancer.Balancer;
import io.shardstore.config.command.AddShardCommand;
import io.shardstore.config.command.BalancerCommand;
import io.shardstore.config.command.CreateDatabaseCommand;
import io.shardstore.config.command.DropMetadataCommand;
import io.shardstore.config.command.EnableShardingCommand;
import io.shardstore.config.command.ListShardsCommand;
import io.shardstore.config.command.MoveChunkCommand;
import io.shardstore.config.command.RemoveShardCommand;
import io.shardstore.config.command.ShardCollectionCommand;
import io.shardstore.config.command.SplitCommand;
import io.shardstore.node.NodeOptions;
import io.shardstore.node.ShardNode;
import io.shardstore.node.command.CommandRegistry;
import io.shardstore.node.storage.StartupException;

/** A config server: a shard node whose registry also holds the sharding DDL, plus the balancer. */
public final class ConfigServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 27019;

    private final ShardNode node;
    private final ConfigContext context;
    private final Balancer balancer;

    private ConfigServer(ShardNode node, ConfigContext context, Balancer balancer) {
        this.node = node;
        this.context = context;
        this.balancer = balancer;
    }

    public static ConfigServer start(NodeOptions options, long balancerIntervalMillis) throws StartupException {
        ConfigContext context = new ConfigContext();
        Balancer[] balancer = new Balancer[1];
        ShardNode node = ShardNode.start(options, registry -> register(registry, context, () -> balancer[0]));
        context.open(options.bindIp().equals("0.0.0.0") ? "127.0.0.1" : options.bindIp(), node.port());
        balancer[0] = new Balancer(context, balancerIntervalMillis);
        return new ConfigServer(node, context, balancer[0]);
    }

    static void register(CommandRegistry registry, ConfigContext context, java.util.function.Supplier<Balancer> balancer) {
        registry.register(new AddShardCommand(context))
            .register(new ListShardsCommand(context))
            .register(new RemoveShardCommand(context))
            .register(new EnableShardingCommand(context))
            .register(new CreateDatabaseCommand(context))
            .register(new ShardCollectionCommand(context))
            .register(new SplitCommand(context))
            .register(new MoveChunkCommand(context, "moveChunk"))
            .register(new MoveChunkCommand(context, "moveRange"))
            .register(new BalancerCommand(context, "balancerStatus", balancer))
            .register(new BalancerCommand(context, "balancerStart", balancer))
            .register(new BalancerCommand(context, "balancerStop", balancer))
            .register(new DropMetadataCommand(context, false))
            .register(new DropMetadataCommand(context, true));
    }

    public int port() {
        return node.port();
    }

    @Override
    public void close() {
        balancer.close();
        context.close();
        node.close();
    }
}
