package io.shardstore.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.incubator.channel.uring.IOUring;

class TransportTest {

    @Test
    void ioUringWhereTheKernelAllowsItThenEpollThenNio() {
        String before = System.getProperty("shardstore.transport");
        Transport native_ = Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO;
        try {
            System.clearProperty("shardstore.transport");
            assertEquals(IOUring.isAvailable() ? Transport.IO_URING : native_, Transport.best());
            System.setProperty("shardstore.transport", "io_uring");
            assertEquals(IOUring.isAvailable() ? Transport.IO_URING : native_, Transport.best());
            System.setProperty("shardstore.transport", "EPOLL");
            assertEquals(native_, Transport.best());
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
        Map<Transport, String> prefixes = Map.of(Transport.EPOLL, "Epoll", Transport.IO_URING, "IOUring", Transport.NIO, "Nio");
        List<Transport> here = new ArrayList<>(List.of(Transport.NIO));
        if (Epoll.isAvailable()) {
            here.add(Transport.EPOLL);
        }
        if (IOUring.isAvailable()) {
            here.add(Transport.IO_URING);
        }
        for (Transport t : here) {
            EventLoopGroup group = t.group(1);
            try {
                assertEquals(t, Transport.of(group));
                assertTrue(t.channel().getSimpleName().startsWith(prefixes.get(t)), t + ": " + t.channel());
                assertTrue(t.serverChannel().getSimpleName().startsWith(prefixes.get(t)), t + ": " + t.serverChannel());
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
