package io.shardstore.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.shardstore.bench.report.ProfileResult;

/** The JFR text summary counts what `jfr print` shows, the way the report describes it. */
class JfrSummaryTest {
    private static final String PRINTED = """
        jdk.ExecutionSample {
          startTime = 07:58:43.174
          sampledThread = "nioEventLoopGroup-3-1" (javaThreadId = 30)
          state = "STATE_RUNNABLE"
          stackTrace = [
            org.bson.io.ByteBufferBsonInput.readString() line: 148
            org.bson.BsonBinaryReader.readString() line: 12
            io.shardstore.router.frontend.RouterRequest.of(OpMsg) line: 30
            io.shardstore.router.frontend.ClientHandler.channelRead(ChannelHandlerContext, Object) line: 70
            io.netty.channel.nio.NioEventLoop.run() line: 569
          ]
        }

        jdk.ExecutionSample {
          startTime = 07:58:43.175
          sampledThread = "nioEventLoopGroup-3-2" (javaThreadId = 31)
          state = "STATE_RUNNABLE"
          stackTrace = [
            sun.nio.ch.SocketDispatcher.write0(FileDescriptor, long, int) line: 1
            io.shardstore.router.frontend.ClientHandler.channelRead(ChannelHandlerContext, Object) line: 70
            io.netty.channel.nio.NioEventLoop.run() line: 569
            ...
          ]
        }
        """;

    @Test
    void countsSelfAreasProjectMethodsAndBsonCallers() {
        ProfileResult p = JfrSummary.summarize("t", "f.jfr", PRINTED);
        assertEquals(2, p.samples());
        assertEquals(1, p.topSelf().stream().filter(s -> s.name().equals("org.bson.io.ByteBufferBsonInput.readString")).count());
        assertEquals(2, share(p.routerMethods(), "io.shardstore.router.frontend.ClientHandler.channelRead"));
        assertEquals(1, share(p.routerMethods(), "io.shardstore.router.frontend.RouterRequest.of"));
        assertEquals(1, share(p.bsonCallers(), "io.shardstore.router.frontend.RouterRequest.of"));
        assertEquals(1, share(p.categories(), "socket I/O syscalls (sun.nio.ch read/write/epoll)"));
        assertEquals(2, share(p.categories(), "router frontend (ClientHandler, RouterRequest)"));
        assertEquals(2, share(p.threads(), "nioEventLoopGroup-3-*"));
    }

    private static long share(java.util.List<ProfileResult.Share> shares, String name) {
        return shares.stream().filter(s -> s.name().equals(name)).mapToLong(ProfileResult.Share::samples).sum();
    }
}
