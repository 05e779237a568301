package io.shardstore.bench.servers;

import java.net.InetSocketAddress;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.shardstore.protocol.Transport;

/**
 * A minimal TCP relay on Netty (the baseline when HAProxy is not installed): one backend connection per
 * client connection, opened on the client's event loop, bytes forwarded as they come in both directions.
 * It is the cheapest possible proxy with the same I/O stack as the router (Netty NIO, same thread count,
 * TCP_NODELAY), so router minus relay is what routing costs above the hop itself. Reads are re-armed only
 * when the previous write completed (Netty's proxy example), which bounds memory without a protocol.
 */
public final class NettyRelay implements Relay {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel server;

    private NettyRelay(EventLoopGroup boss, EventLoopGroup workers, Channel server) {
        this.boss = boss;
        this.workers = workers;
        this.server = server;
    }

    /** Listens on {@code port} (0: any free port) and relays to {@code targetHost:targetPort}. */
    public static NettyRelay start(String bindIp, int port, String targetHost, int targetPort) {
        // The router's transport and loop count, so the relay is the same Netty minus the router's work.
        Transport transport = Transport.best();
        EventLoopGroup boss = transport.group(1);
        EventLoopGroup workers = transport.group(Runtime.getRuntime().availableProcessors());
        InetSocketAddress target = new InetSocketAddress(targetHost, targetPort);
        Channel server = new ServerBootstrap().group(boss, workers).channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.AUTO_READ, false)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new Frontend(target));
                }
            })
            .bind(new InetSocketAddress(bindIp, port)).syncUninterruptibly().channel();
        return new NettyRelay(boss, workers, server);
    }

    @Override
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public String kind() {
        return "netty";
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        // Bounded, as the router's (an io_uring loop can wait forever for a completion at shutdown).
        boss.shutdownGracefully().awaitUninterruptibly(20, java.util.concurrent.TimeUnit.SECONDS);
        workers.shutdownGracefully().awaitUninterruptibly(20, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Client side: opens the backend connection, then forwards client bytes to it. */
    private static final class Frontend extends ChannelInboundHandlerAdapter {
        private final InetSocketAddress target;
        private Channel backend;

        Frontend(InetSocketAddress target) {
            this.target = target;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel inbound = ctx.channel();
            backend = new Bootstrap().group(inbound.eventLoop()).channel(Transport.of(inbound.eventLoop().parent()).channel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new Pipe(inbound))
                .connect(target).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        inbound.read();
                    } else {
                        inbound.close();
                    }
                }).channel();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (backend.isActive()) {
                backend.writeAndFlush(msg).addListener(Pipe.readNextOrClose(ctx.channel()));
            } else {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (backend != null) {
                Pipe.closeOnFlush(backend);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Pipe.closeOnFlush(ctx.channel());
        }
    }

    /** Backend side: forwards the shard's bytes back to the client. */
    private static final class Pipe extends ChannelInboundHandlerAdapter {
        private final Channel inbound;

        Pipe(Channel inbound) {
            this.inbound = inbound;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            inbound.writeAndFlush(msg).addListener(readNextOrClose(ctx.channel()));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeOnFlush(inbound);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closeOnFlush(ctx.channel());
        }

        /** After a write completes, read more from the channel that produced it (or close both on failure). */
        static ChannelFutureListener readNextOrClose(Channel source) {
            return f -> {
                if (f.isSuccess()) {
                    source.read();
                } else {
                    f.channel().close();
                }
            };
        }

        static void closeOnFlush(Channel ch) {
            if (ch.isActive()) {
                ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
