package io.shardstore.router.gateway;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.AttributeKey;
import io.shardstore.protocol.WireFrameDecoder;

/**
 * A bounded pool of connections to one shard host. A request borrows a connection, writes one frame and
 * gets the reply frame back; the connection returns to the pool when the reply arrives. The pool size
 * bounds backend connections however many clients the router has.
 */
public final class ShardPool implements AutoCloseable {
    private static final AttributeKey<CompletableFuture<ByteBuf>> PENDING = AttributeKey.valueOf("pending");
    private static final AtomicInteger REQUEST_IDS = new AtomicInteger();

    private final String host;
    private final FixedChannelPool pool;
    private final long timeoutMillis;

    public ShardPool(String host, EventLoopGroup group, int maxConnections, long timeoutMillis) {
        this.host = host;
        this.timeoutMillis = timeoutMillis;
        int colon = host.lastIndexOf(':');
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
            .remoteAddress(new InetSocketAddress(host.substring(0, colon), Integer.parseInt(host.substring(colon + 1))));
        this.pool = new FixedChannelPool(bootstrap, new AbstractChannelPoolHandler() {
            @Override
            public void channelCreated(Channel ch) {
                ch.pipeline().addLast(new WireFrameDecoder()).addLast(new ReplyHandler());
            }
        }, ChannelHealthChecker.ACTIVE, FixedChannelPool.AcquireTimeoutAction.FAIL, timeoutMillis, maxConnections, 100_000);
    }

    public String host() {
        return host;
    }

    public static int nextRequestId() {
        return REQUEST_IDS.incrementAndGet() & 0x7fffffff;
    }

    /** Sends a complete frame (released here) and completes with the reply frame (the caller releases it). */
    public CompletableFuture<ByteBuf> send(ByteBuf frame) {
        CompletableFuture<ByteBuf> reply = new CompletableFuture<>();
        pool.acquire().addListener(f -> {
            if (!f.isSuccess()) {
                frame.release();
                reply.completeExceptionally(new ShardUnreachableException(host, f.cause()));
                return;
            }
            Channel ch = (Channel) f.getNow();
            ch.attr(PENDING).set(reply);
            var timeout = ch.eventLoop().schedule(() -> {
                if (reply.completeExceptionally(new ShardUnreachableException(host, new TimeoutException("no reply in " + timeoutMillis + " ms")))) {
                    ch.close();
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
            reply.whenComplete((r, e) -> {
                timeout.cancel(false);
                ch.attr(PENDING).set(null);
                pool.release(ch);
            });
            ch.writeAndFlush(frame).addListener(w -> {
                if (!w.isSuccess()) {
                    reply.completeExceptionally(new ShardUnreachableException(host, w.cause()));
                    ch.close();
                }
            });
        });
        return reply;
    }

    private static final class ReplyHandler extends SimpleChannelInboundHandler<ByteBuf> {
        ReplyHandler() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            CompletableFuture<ByteBuf> pending = ctx.channel().attr(PENDING).get();
            if (pending == null || !pending.complete(frame)) {
                frame.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            CompletableFuture<ByteBuf> pending = ctx.channel().attr(PENDING).get();
            if (pending != null) {
                pending.completeExceptionally(new ShardUnreachableException(ctx.channel().remoteAddress().toString(),
                    new java.io.IOException("connection closed")));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
