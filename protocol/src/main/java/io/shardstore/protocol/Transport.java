package io.shardstore.protocol;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The Netty transport the servers run on: Linux's native epoll when its library loads (netty-all ships it
 * for x86_64 and aarch64), else Java NIO. Epoll is edge-triggered and reads and writes without NIO's
 * selected-key sets and wake-up pipe, which the router benchmark showed as kernel and user CPU per request
 * (decision 0008). {@code -Dshardstore.transport=nio} forces NIO.
 */
public enum Transport {
    EPOLL, NIO;

    /** The transport this process uses. */
    public static Transport best() {
        boolean nioAsked = "nio".equalsIgnoreCase(System.getProperty("shardstore.transport"));
        return !nioAsked && Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** The transport of an event loop group made by {@link #group}, so clients register on the same kind of loop. */
    public static Transport of(EventLoopGroup group) {
        return group instanceof EpollEventLoopGroup ? EPOLL : NIO;
    }

    /** An event loop group; {@code threads} 0 means Netty's default (twice the cores). */
    public EventLoopGroup group(int threads) {
        return this == EPOLL ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(threads);
    }

    public Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends Channel> channel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
