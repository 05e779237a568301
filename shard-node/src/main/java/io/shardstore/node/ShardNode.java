package io.shardstore.node;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.shardstore.node.command.Commands;
import io.shardstore.node.server.NodeServerInitializer;
import io.shardstore.node.storage.DataDirectory;
import io.shardstore.node.storage.StartupException;
import io.shardstore.node.storage.StorageEngine;

/** A running mongod-like node: storage (recovered from --dbpath when given) behind a Netty server. */
public final class ShardNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShardNode.class);

    private final NodeServices services;
    private final DataDirectory dataDirectory;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final TtlMonitor ttlMonitor;

    private ShardNode(NodeServices services, DataDirectory dataDirectory, EventLoopGroup boss, EventLoopGroup workers,
                      Channel serverChannel) {
        this.services = services;
        this.dataDirectory = dataDirectory;
        this.boss = boss;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.ttlMonitor = new TtlMonitor(services.storage(), services.replication(), services.options().ttlMonitorSleepSecs());
    }

    public static ShardNode start(NodeOptions options) throws StartupException {
        return start(options, registry -> { });
    }

    /** Starts a node whose registry {@code role} extends (the config server adds its catalog commands). */
    public static ShardNode start(NodeOptions options, java.util.function.Consumer<io.shardstore.node.command.CommandRegistry> role)
        throws StartupException {
        io.shardstore.engine.HostInfo.reply(); // reads /proc and /etc now: hostInfo answers inline, on the event loop
        StorageEngine storage = StorageEngine.inMemory();
        DataDirectory dir = null;
        if (options.dbPath() != null) {
            dir = DataDirectory.open(options.dbPath());
            if (options.replSet() != null) {
                storage.limitRecoveredOplog(options.oplogSizeBytes());
            }
            try {
                dir.recoverInto(storage, options.journalCommitIntervalMillis());
            } catch (IOException | RuntimeException e) {
                dir.close();
                storage.close();
                throw new StartupException("cannot recover data in " + options.dbPath() + ": " + e.getMessage());
            }
        }
        io.shardstore.node.command.CommandRegistry registry = Commands.all();
        role.accept(registry);
        if (options.testCommands()) {
            registry.register(new io.shardstore.node.command.admin.ConfigureFailPointCommand());
        }
        io.shardstore.node.replication.ReplicationCoordinator replication = options.replSet() == null ? null
            : io.shardstore.node.replication.ReplicationCoordinator.start(options, storage);
        NodeServices services = new NodeServices(options, storage, registry, replication);
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup();
        try {
            Channel channel = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new NodeServerInitializer(services))
                .bind(new InetSocketAddress(options.bindIp(), options.port()))
                .syncUninterruptibly()
                .channel();
            ShardNode node = new ShardNode(services, dir, boss, workers, channel);
            services.onShutdown(node::close);
            if (replication != null) {
                replication.boundTo(node.port());
            }
            log.info("waiting for connections on {}:{}{}", options.bindIp(), node.port(),
                options.dbPath() == null ? " (in memory)" : " (dbpath " + options.dbPath() + ")");
            return node;
        } catch (Exception e) { // Netty rethrows the checked BindException unchecked
            boss.shutdownGracefully();
            workers.shutdownGracefully();
            if (replication != null) {
                replication.close();
            }
            storage.close();
            if (dir != null) {
                dir.close();
            }
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new StartupException("cannot listen on " + options.bindIp() + ":" + options.port() + ": address already in use");
            }
            throw new StartupException("cannot listen on " + options.bindIp() + ":" + options.port() + ": " + e.getMessage());
        }
    }

    /** Replaces what the shutdown command does (the process main: exit, which closes the node in its hook). */
    public void onShutdown(Runnable action) {
        services.onShutdown(action);
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public NodeServices services() {
        return services;
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** Idempotent: the shutdown command may have closed the node already. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ttlMonitor.close();
        if (services.replication() != null) {
            services.replication().close();
        }
        serverChannel.close().syncUninterruptibly();
        // No quiet period: clients and replica-set members see the node gone at once, as after a crash.
        boss.shutdownGracefully(0, 5, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 5, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        services.storage().close();
        if (dataDirectory != null) {
            dataDirectory.close();
        }
        log.info("node on port {} stopped", ((InetSocketAddress) serverChannel.localAddress()).getPort());
    }
}
