package io.shardstore.router;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.shardstore.protocol.Transport;
import io.shardstore.protocol.ConnectionLimit;
import io.shardstore.protocol.WireFrameDecoder;
import io.shardstore.router.command.RouterDispatcher;
import io.shardstore.router.command.RouterRegistry;
import io.shardstore.router.cursor.CursorRegistry;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.MergeEngine;
import io.shardstore.router.frontend.ClientHandler;
import io.shardstore.router.gateway.ShardGateway;
import io.shardstore.router.topology.CatalogCache;
import io.shardstore.sharding.ConnectionStrings;

/** A running router: the client-facing Netty server, the catalog cache and the shard gateway. */
public final class Router implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel server;
    private final MongoClient configClient;
    private final CatalogCache catalog;
    private final ShardGateway gateway;
    private final CursorRegistry cursors;
    private final MergeEngine merger;

    private Router(EventLoopGroup boss, EventLoopGroup workers, Channel server, MongoClient configClient, CatalogCache catalog,
                   ShardGateway gateway, CursorRegistry cursors, MergeEngine merger) {
        this.boss = boss;
        this.workers = workers;
        this.server = server;
        this.configClient = configClient;
        this.catalog = catalog;
        this.gateway = gateway;
        this.cursors = cursors;
        this.merger = merger;
    }

    public static Router start(RouterOptions options) throws RouterStartException {
        io.shardstore.engine.HostInfo.reply(); // reads /proc and /etc now, so hostInfo never reads files on an event loop
        MongoClient configClient = MongoClients.create(withCredential(MongoClientSettings.builder()
            // configRS/h1,h2,h3: the catalog is read from whichever member is primary, following failovers.
            .applyConnectionString(new ConnectionString(ConnectionStrings.of(options.configDb())))
            .applyToClusterSettings(b -> b.serverSelectionTimeout(10, TimeUnit.SECONDS))
            .applicationName("router"), internalCredential(options), options.security().tls()).build());
        CatalogCache catalog = new CatalogCache(configClient);
        Transport transport = Transport.best();
        EventLoopGroup boss = transport.group(1);
        EventLoopGroup workers = transport.group(options.eventLoops());
        ShardGateway gateway = new ShardGateway(catalog, options.configDb(), workers, options.poolSize(), options.shardTimeoutMillis(),
            options.failoverMillis(), options.heartbeatMillis(), options.security().keyFile(), options.security().tls());
        CursorRegistry cursors = new CursorRegistry(600_000);
        MergeEngine merger = new MergeEngine();
        RouterInfo info = new RouterInfo(options);
        io.shardstore.router.analysis.QueryAnalyzers analyzers = new io.shardstore.router.analysis.QueryAnalyzers(configClient);
        Exec exec = new Exec(gateway, catalog, cursors, merger, null, info, analyzers);
        RouterRegistry registry = RouterRegistry.standard();
        if (options.testCommands()) {
            registry.register(new io.shardstore.router.command.admin.ConfigureFailPointCommand());
        }
        RouterDispatcher dispatcher = new RouterDispatcher(registry);
        ConnectionLimit connectionLimit = new ConnectionLimit(options.incoming());
        io.shardstore.protocol.TlsOptions tls = options.security().tls();
        io.netty.handler.ssl.SslContext tlsServer = tls.enabled() ? tls.serverContext() : null;
        try {
            Channel server = new ServerBootstrap().group(boss, workers).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("limit", connectionLimit).addLast("frames", new WireFrameDecoder(options.incoming()))
                            .addLast("requests", new ClientHandler(exec, dispatcher));
                        io.shardstore.protocol.TlsHandlers.install(ch, tls, tlsServer);
                    }
                })
                .bind(new InetSocketAddress(options.bindIp(), options.port())).syncUninterruptibly().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            log.info("router listening on {}:{} ({}), config server {}", options.bindIp(), port, transport, options.configDb());
            catalog.advertise(options.bindIp() + ":" + port, info.started());
            Router router = new Router(boss, workers, server, configClient, catalog, gateway, cursors, merger);
            router.info = info;
            router.analyzers = analyzers;
            info.onShutdown(router::close);
            return router;
        } catch (Exception e) { // Netty rethrows the checked BindException unchecked
            boss.shutdownGracefully();
            workers.shutdownGracefully();
            analyzers.close();
            configClient.close();
            String reason = (Object) e instanceof BindException || e.getCause() instanceof BindException ? "address already in use" : e.getMessage();
            throw new RouterStartException("cannot listen on " + options.bindIp() + ":" + options.port() + ": " + reason);
        }
    }

    private RouterInfo info;
    private io.shardstore.router.analysis.QueryAnalyzers analyzers;

    /** Replaces what the shutdown command does (the process main: exit, which closes the router in its hook). */
    public void onShutdown(Runnable action) {
        info.onShutdown(action);
    }

    /** __system@local with the cluster's key, for the router's own catalog client; null (no login) without a key. */
    private static com.mongodb.MongoCredential internalCredential(RouterOptions options) {
        io.shardstore.security.KeyFile key = options.security().keyFile();
        return key == null ? null : com.mongodb.MongoCredential.createScramSha256Credential(io.shardstore.security.KeyFile.SYSTEM_USER,
            io.shardstore.security.KeyFile.SYSTEM_DB, key.password().toCharArray());
    }

    /** The settings builder with a credential only when there is one (the builder takes no null), and TLS if outgoing. */
    private static MongoClientSettings.Builder withCredential(MongoClientSettings.Builder b, com.mongodb.MongoCredential c,
                                                              io.shardstore.protocol.TlsOptions tls) {
        if (tls.outgoing()) {
            b.applyToSslSettings(ssl -> ssl.enabled(true).context(tls.jdkClientContext()).invalidHostNameAllowed(tls.allowInvalidCertificates()));
        }
        return c == null ? b : b.credential(c);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public CatalogCache catalog() {
        return catalog;
    }

    /** How many event loops serve the router's client and shard connections ({@link RouterOptions#eventLoops}). */
    public int eventLoops() {
        return ((io.netty.util.concurrent.MultithreadEventExecutorGroup) workers).executorCount();
    }

    /** The Netty transport the router's loops run on (io_uring, epoll or NIO: {@link Transport#best}). */
    public Transport transport() {
        return Transport.of(workers);
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** Idempotent: the shutdown command may have closed the router already. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.close().syncUninterruptibly();
        cursors.close();
        gateway.close();
        // Bounded: an io_uring loop can wait forever in its clean-up for a completion that never comes (seen once in CI;
        // netty-incubator-transport-io_uring issues 192 and 226 are of this kind). A router that closes must not hang
        // on it (the shutdown command exits through this method): past the bound the loop's thread is left behind.
        // The short quiet period is what those reports say keeps the race away.
        for (EventLoopGroup group : java.util.List.of(boss, workers)) {
            if (!group.shutdownGracefully(100, 5_000, java.util.concurrent.TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(10, java.util.concurrent.TimeUnit.SECONDS)) {
                log.warn("the router's {} event loops did not stop within 10 s; closing without them", transport());
            }
        }
        merger.close();
        analyzers.close();
        catalog.close();
        configClient.close();
    }

    /** A reason the router cannot start, in one line. */
    public static final class RouterStartException extends Exception {
        public RouterStartException(String message) {
            super(message);
        }
    }
}
