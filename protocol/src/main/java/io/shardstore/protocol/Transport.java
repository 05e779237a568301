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
import io.netty.incubator.channel.uring.IOUring;
import io.netty.incubator.channel.uring.IOUringEventLoopGroup;
import io.netty.incubator.channel.uring.IOUringServerSocketChannel;
import io.netty.incubator.channel.uring.IOUringSocketChannel;

/**
 * The Netty transport the router runs on. Linux's io_uring when the kernel allows it (Netty's incubator transport for
 * Netty 4.1): a loop submits its reads and writes in one system call and reaps their completions from shared rings,
 * which cut the router's kernel and user CPU per request well below epoll's (decision 0015). Else Linux's native
 * epoll (netty-all ships it for x86_64 and aarch64): edge-triggered, without NIO's selected-key sets and wake-up pipe
 * (decision 0008). Else Java NIO. {@code -Dshardstore.transport=io_uring|epoll|nio} asks for one; one that cannot
 * load falls back to the next.
 */
public enum Transport {
    EPOLL, NIO, IO_URING;

    /** The transport this process uses. */
    public static Transport best() {
        String asked = System.getProperty("shardstore.transport", "").toLowerCase(java.util.Locale.ROOT);
        if (asked.equals("nio")) {
            return NIO;
        }
        if (!asked.equals("epoll") && ioUringAvailable()) {
            return IO_URING;
        }
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    private static boolean ioUringAvailable() {
        try {
            return IOUring.isAvailable();
        } catch (LinkageError e) {
            return false; // no native library for this platform
        }
    }

    /** The transport of an event loop group made by {@link #group}, so clients register on the same kind of loop. */
    public static Transport of(EventLoopGroup group) {
        if (group instanceof EpollEventLoopGroup) {
            return EPOLL;
        }
        return group instanceof IOUringEventLoopGroup ? IO_URING : NIO;
    }

    /** An event loop group; {@code threads} 0 means Netty's default (twice the cores). */
    public EventLoopGroup group(int threads) {
        return switch (this) {
            case EPOLL -> new EpollEventLoopGroup(threads);
            case IO_URING -> new IOUringEventLoopGroup(threads);
            case NIO -> new NioEventLoopGroup(threads);
        };
    }

    public Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IOUringServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    public Class<? extends Channel> channel() {
        return switch (this) {
            case EPOLL -> EpollSocketChannel.class;
            case IO_URING -> IOUringSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }
}
