package io.shardstore.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.shardstore.router.gateway.ShardPool;
import io.shardstore.router.gateway.ShardUnreachableException;

/**
 * The router's connections to one shard host, against a scripted host: replies matched by responseTo (also out of
 * order), the bound on connections, replies handed back on the sending event loop, and a dead or silent host failing
 * requests with ShardUnreachableException instead of leaving them hanging.
 */
class ShardPoolTest {
    private final NioEventLoopGroup group = new NioEventLoopGroup(4);
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void everyRequestGetsItsOwnReplyOnItsOwnLoopWithinTheConnectionBound() throws Exception {
        sendMany(8, true);
    }

    @Test
    void aBoundBelowTheLoopCountIsKept() throws Exception {
        sendMany(3, false);
    }

    private void sendMany(int max, boolean sameLoop) throws Exception {
        FakeHost host = start(new FakeHost(true, true));
        ShardPool pool = pool(host.port(), max, 10_000);
        List<CompletableFuture<ByteBuf>> replies = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int id = ShardPool.nextRequestId();
            ids.add(id);
            EventLoop loop = group.next();
            CompletableFuture<ByteBuf> reply = new CompletableFuture<>();
            loop.execute(() -> pool.send(frame(id)).whenComplete((r, e) -> {
                if (e != null) {
                    reply.completeExceptionally(e);
                } else if (sameLoop && !loop.inEventLoop()) {
                    r.release();
                    reply.completeExceptionally(new AssertionError("reply completed off the sending loop"));
                } else {
                    reply.complete(r);
                }
            }));
            replies.add(reply);
        }
        for (int i = 0; i < replies.size(); i++) {
            ByteBuf r = replies.get(i).get(10, TimeUnit.SECONDS);
            assertEquals(ids.get(i), r.getIntLE(r.readerIndex() + 8), "responseTo");
            assertEquals(ids.get(i), r.getIntLE(r.readerIndex() + 16), "the host echoes the request id in the body");
            r.release();
        }
        assertTrue(host.accepted.get() <= max, "connections opened: " + host.accepted.get());
        assertTrue(host.accepted.get() >= 1);
    }

    @Test
    void requestsFromOtherThreadsAreServedToo() throws Exception {
        FakeHost host = start(new FakeHost(true, false));
        ShardPool pool = pool(host.port(), 2, 10_000);
        int id = ShardPool.nextRequestId();
        ByteBuf r = pool.send(frame(id)).get(10, TimeUnit.SECONDS);
        assertEquals(id, r.getIntLE(r.readerIndex() + 8));
        r.release();
    }

    @Test
    void aHostNobodyListensOnFailsTheRequest() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ShardPool pool = pool(port, 4, 10_000);
        assertUnreachable(pool.send(frame(ShardPool.nextRequestId())));
        assertUnreachable(pool.send(frame(ShardPool.nextRequestId()))); // and again: the failed connection is gone
    }

    @Test
    void aSilentHostTimesTheRequestOut() throws Exception {
        FakeHost host = start(new FakeHost(false, false));
        ShardPool pool = pool(host.port(), 4, 300);
        long start = System.nanoTime();
        assertUnreachable(pool.send(frame(ShardPool.nextRequestId())));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(250));
    }

    @Test
    void aHostThatDropsTheConnectionFailsWhatIsInFlight() throws Exception {
        FakeHost host = start(new FakeHost(false, false));
        ShardPool pool = pool(host.port(), 1, 30_000);
        CompletableFuture<ByteBuf> a = pool.send(frame(ShardPool.nextRequestId()));
        CompletableFuture<ByteBuf> b = pool.send(frame(ShardPool.nextRequestId()));
        host.awaitRequests(2);
        host.dropAll();
        assertUnreachable(a);
        assertUnreachable(b);
    }

    private static void assertUnreachable(CompletableFuture<ByteBuf> reply) throws Exception {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> reply.get(10, TimeUnit.SECONDS));
        assertInstanceOf(ShardUnreachableException.class, e.getCause());
    }

    private ShardPool pool(int port, int max, long timeoutMillis) {
        ShardPool pool = new ShardPool("127.0.0.1:" + port, group, max, timeoutMillis);
        closing.add(0, pool);
        return pool;
    }

    private FakeHost start(FakeHost host) throws IOException {
        host.start();
        closing.add(host);
        return host;
    }

    /** An OP_MSG header plus a 4-byte body; the scripted host does not parse BSON. */
    private static ByteBuf frame(int requestId) {
        return Unpooled.buffer(20).writeIntLE(20).writeIntLE(requestId).writeIntLE(0).writeIntLE(2013).writeIntLE(requestId);
    }

    /** Accepts connections; answers each frame with responseTo = its request id (or never), optionally in reverse pairs. */
    private static final class FakeHost implements AutoCloseable {
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        final boolean answer;
        final boolean swapPairs;
        final ServerSocket server;
        final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        FakeHost(boolean answer, boolean swapPairs) throws IOException {
            this.answer = answer;
            this.swapPairs = swapPairs;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }

        int port() {
            return server.getLocalPort();
        }

        void start() {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        accepted.incrementAndGet();
                        sockets.add(s);
                        Thread c = new Thread(() -> serve(s), "fake-host-conn");
                        c.setDaemon(true);
                        c.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "fake-host");
            t.setDaemon(true);
            t.start();
        }

        private void serve(Socket s) {
            try (s) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                byte[] held = null;
                while (true) {
                    byte[] header = new byte[4];
                    in.readFully(header);
                    int length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
                    byte[] rest = new byte[length - 4];
                    in.readFully(rest);
                    requests.incrementAndGet();
                    if (!answer) {
                        continue;
                    }
                    int requestId = ByteBuffer.wrap(rest).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
                    byte[] reply = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(20).putInt(requestId + 1).putInt(requestId).putInt(2013).putInt(requestId).array();
                    // Pipelined pairs are answered second first, when the second one is already here.
                    if (swapPairs && held == null && available(in) > 0) {
                        held = reply;
                        continue;
                    }
                    out.write(reply);
                    if (held != null) {
                        out.write(held);
                        held = null;
                    }
                    out.flush();
                }
            } catch (IOException e) {
                // closed
            }
        }

        private static int available(InputStream in) throws IOException {
            return in.available();
        }

        void awaitRequests(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            synchronized (this) {
                while (requests.get() < n && System.nanoTime() < deadline) {
                    wait(10);
                }
            }
            assertEquals(n, requests.get());
        }

        void dropAll() throws IOException {
            for (Socket s : sockets) {
                s.close();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            dropAll();
        }
    }
}
