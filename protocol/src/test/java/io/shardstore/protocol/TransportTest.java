package io.shardstore.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

class TransportTest {

    @Test
    void epollWhereItLoadsUnlessNioIsAsked() {
        String before = System.getProperty("shardstore.transport");
        try {
            System.clearProperty("shardstore.transport");
            assertEquals(Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO, Transport.best());
            System.setProperty("shardstore.transport", "nio");
            assertEquals(Transport.NIO, Transport.best());
        } finally {
            if (before == null) {
                System.clearProperty("shardstore.transport");
            } else {
                System.setProperty("shardstore.transport", before);
            }
        }
    }

    @Test
    void aGroupsTransportGivesChannelsOfItsKind() {
        for (Transport t : Epoll.isAvailable() ? Transport.values() : new Transport[] {Transport.NIO}) {
            EventLoopGroup group = t.group(1);
            try {
                assertEquals(t, Transport.of(group));
                assertTrue(t.channel().getSimpleName().startsWith(t == Transport.EPOLL ? "Epoll" : "Nio"));
                assertTrue(t.serverChannel().getSimpleName().startsWith(t == Transport.EPOLL ? "Epoll" : "Nio"));
            } finally {
                group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
        NioEventLoopGroup nio = new NioEventLoopGroup(1);
        try {
            assertEquals(Transport.NIO, Transport.of(nio));
            assertEquals(NioSocketChannel.class, Transport.NIO.channel());
            assertEquals(NioServerSocketChannel.class, Transport.NIO.serverChannel());
        } finally {
            nio.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }
}
