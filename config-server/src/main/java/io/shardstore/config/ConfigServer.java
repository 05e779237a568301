package io.shardstore.config;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.shardstore.config.balancer.Balancer;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.config.command.AddShardCommand;
import io.shardstore.config.command.BalancerCommand;
import io.shardstore.config.command.CreateDatabaseCommand;
import io.shardstore.config.command.DropMetadataCommand;
import io.shardstore.config.command.EnableShardingCommand;
import io.shardstore.config.command.ListShardsCommand;
import io.shardstore.config.command.MoveChunkCommand;
import io.shardstore.config.command.RemoveShardCommand;
import io.shardstore.config.command.ShardCollectionCommand;
import io.shardstore.config.command.ShardZoneCommand;
import io.shardstore.config.command.SplitCommand;
import io.shardstore.config.command.UpdateZoneKeyRangeCommand;
import io.shardstore.node.NodeOptions;
import io.shardstore.node.ShardNode;
import io.shardstore.node.command.CommandRegistry;
import io.shardstore.node.replication.ReplicationCoordinator;
import io.shardstore.node.storage.StartupException;

/** A config server: a shard node whose registry also holds the sharding DDL, plus the balancer. */
public final class ConfigServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 27019;
    private static final Logger log = LoggerFactory.getLogger(ConfigServer.class);

    private final ShardNode node;
    private final ConfigContext context;
    private final Balancer balancer;
    private final io.shardstore.config.resharding.ReshardingCoordinator resharding;
    /** Runs {@link #openOnPrimary} off the replication threads; a change after close is dropped. */
    private final ThreadPoolExecutor duties = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        r -> {
            Thread t = new Thread(r, "config-primary");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
    private volatile boolean closed;

    private ConfigServer(ShardNode node, ConfigContext context, Balancer balancer,
                         io.shardstore.config.resharding.ReshardingCoordinator resharding) {
        this.node = node;
        this.context = context;
        this.balancer = balancer;
        this.resharding = resharding;
    }

    /**
     * Starts the server. Standalone, the catalog opens at once; a member of a config replica set
     * ({@code options.replSet()}) opens it whenever it becomes primary, writing config.version if the set has none yet.
     */
    public static ConfigServer start(NodeOptions options, long balancerIntervalMillis) throws StartupException {
        ConfigContext context = new ConfigContext();
        context.useSecurity(options.security());
        Balancer[] balancer = new Balancer[1];
        io.shardstore.config.resharding.ReshardingCoordinator resharding = new io.shardstore.config.resharding.ReshardingCoordinator(context);
        ShardNode node = ShardNode.start(options, registry -> register(registry, context, () -> balancer[0], resharding));
        node.services().operations().addBackground(resharding::currentOps);
        ReplicationCoordinator replication = node.services().replication();
        context.attach(options.bindIp().equals("0.0.0.0") ? "127.0.0.1" : options.bindIp(), node.port(), replication);
        balancer[0] = new Balancer(context, balancerIntervalMillis);
        ConfigServer server = new ConfigServer(node, context, balancer[0], resharding);
        node.onShutdown(server::close);
        if (replication == null) {
            resharding.recover(context.catalog());
        } else {
            server.openOnPrimary(replication);
        }
        return server;
    }

    /** Each time this member's state changes: if it is now primary, open the catalog (so sh.status() finds config.version). */
    private void openOnPrimary(ReplicationCoordinator replication) {
        CompletableFuture<Void> next = replication.topologyChange();
        if (closed) {
            return;
        }
        try {
            ConfigCatalog catalog = context.catalogIfPrimary();
            if (catalog != null) {
                resharding.recover(catalog); // finish or undo what a previous primary's resharding left
            }
        } catch (RuntimeException e) {
            log.warn("opening the catalog as the new primary failed: {}", e.toString());
        }
        next.thenRunAsync(() -> openOnPrimary(replication), duties);
    }

    static void register(CommandRegistry registry, ConfigContext context, java.util.function.Supplier<Balancer> balancer,
                         io.shardstore.config.resharding.ReshardingCoordinator resharding) {
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
            .register(new DropMetadataCommand(context, true))
            .register(new ShardZoneCommand(context, "addShardToZone"))
            .register(new ShardZoneCommand(context, "removeShardFromZone"))
            .register(new UpdateZoneKeyRangeCommand(context))
            .register(new io.shardstore.config.command.ReshardCollectionCommand(context, resharding))
            .register(new io.shardstore.config.command.ReshardingStatusCommand(context, resharding))
            .register(new io.shardstore.config.command.AbortReshardCollectionCommand(context, resharding));
    }

    public int port() {
        return node.port();
    }

    public Balancer balancer() {
        return balancer;
    }

    /** The node underneath (its replication, for tests). */
    public ShardNode node() {
        return node;
    }

    @Override
    public void close() {
        closed = true;
        duties.shutdownNow();
        resharding.close();
        balancer.close();
        context.close();
        node.close();
    }
}
