package io.shardstore.protocol;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Closes a connection accepted beyond {@code --maxConns}, as mongod does ("connection refused because too many open
 * connections"): it is closed before anything is read from it. First in every client pipeline.
 */
@ChannelHandler.Sharable
public final class ConnectionLimit extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimit.class);
    private final IncomingLimits limits;

    public ConnectionLimit(IncomingLimits limits) {
        this.limits = limits;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!limits.open()) {
            log.warn("connection refused because too many open connections: {} (maxConns {})", ctx.channel().remoteAddress(),
                limits.maxConnections());
            ctx.channel().attr(COUNTED).set(Boolean.FALSE);
            ctx.channel().config().setAutoRead(false); // nothing it sends is read: closed before its first read
            ctx.close();
            return;
        }
        ctx.channel().attr(COUNTED).set(Boolean.TRUE);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (Boolean.TRUE.equals(ctx.channel().attr(COUNTED).getAndSet(Boolean.FALSE))) {
            limits.closed();
            ctx.fireChannelInactive();
        }
    }

    // No channelRead here: a refused connection is closed before its first read, and a handler that does not take reads
    // is skipped by Netty's pipeline (this one asked the channel's attributes for every message it passed on).

    private static final io.netty.util.AttributeKey<Boolean> COUNTED = io.netty.util.AttributeKey.valueOf("shardstore.counted");
}
