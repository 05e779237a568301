package io.shardstore.router.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.shardstore.protocol.Transport;
import io.shardstore.protocol.WireFrameDecoder;

/**
 * The connections to one shard host. Each event loop of the router has its own connections to the host,
 * registered on that loop, so a request sent from a client's event loop is written, answered and handed
 * back to the client on that one thread (no hand-off between loops). Requests are matched to replies by
 * {@code responseTo}; a loop opens another connection when all of its connections are busy, and once the
 * loop's share of the host's bound is reached it pipelines requests over the least busy one. The bound is for the host as a
 * whole: backend connections never exceed it however many clients the router has.
 */
public final class ShardPool implements AutoCloseable {
    private static final AtomicInteger REQUEST_IDS = new AtomicInteger();

    private final String host;
    private final long timeoutMillis;
    private final int maxConnections;
    /** Each loop's share of the bound, so that a burst on one loop does not take every connection. */
    private final int perLoop;
    private final Bootstrap bootstrap;
    private final EventLoop[] loops;
    private final LoopPool[] pools;
    /** Connections open or opening to the host, over all loops. */
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    /** The cluster's key: every new connection logs in as __system with it before carrying requests; or null. */
    private final io.shardstore.security.KeyFile key;

    /** TLS on every connection (the router's preferTLS / requireTLS), or null. */
    private final io.netty.handler.ssl.SslContext tlsClient;
    private final io.shardstore.protocol.TlsOptions tls;

    public ShardPool(String host, EventLoopGroup group, int maxConnections, long timeoutMillis) {
        this(host, group, maxConnections, timeoutMillis, null, null, io.shardstore.protocol.TlsOptions.DISABLED);
    }

    public ShardPool(String host, EventLoopGroup group, int maxConnections, long timeoutMillis, io.shardstore.security.KeyFile key,
                     io.netty.handler.ssl.SslContext tlsClient, io.shardstore.protocol.TlsOptions tls) {
        this.key = key;
        this.tlsClient = tlsClient;
        this.tls = tls;
        this.host = host;
        this.timeoutMillis = timeoutMillis;
        this.maxConnections = Math.max(1, maxConnections);
        int colon = host.lastIndexOf(':');
        this.bootstrap = new Bootstrap().channel(Transport.of(group).channel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(5_000, Math.max(1, timeoutMillis)))
            .remoteAddress(new InetSocketAddress(host.substring(0, colon), Integer.parseInt(host.substring(colon + 1))));
        List<EventLoop> all = new ArrayList<>();
        for (EventExecutor e : group) {
            all.add((EventLoop) e);
        }
        this.loops = all.toArray(new EventLoop[0]);
        this.perLoop = Math.max(1, (this.maxConnections + loops.length - 1) / loops.length);
        this.pools = new LoopPool[loops.length];
        for (int i = 0; i < loops.length; i++) {
            pools[i] = new LoopPool(loops[i]);
        }
    }

    public String host() {
        return host;
    }

    public static int nextRequestId() {
        return REQUEST_IDS.incrementAndGet() & 0x7fffffff;
    }

    /**
     * What a request's reply is handed to, exactly once: the reply frame (the handler releases it) and a null failure,
     * or a null frame and why there is none.
     */
    @FunctionalInterface
    public interface ReplyHandler {
        void reply(ByteBuf frame, Throwable failure);
    }

    /**
     * Sends a complete frame (released here) and completes with the reply frame (the caller releases it).
     * Called on one of the group's event loops, the reply completes on that same loop.
     */
    public CompletableFuture<ByteBuf> send(ByteBuf frame) {
        CompletableFuture<ByteBuf> reply = new CompletableFuture<>();
        send(frame, completing(reply));
        return reply;
    }

    /** A handler that completes {@code reply} with the frame or the failure (a frame it cannot take is released). */
    private static ReplyHandler completing(CompletableFuture<ByteBuf> reply) {
        return (answer, failure) -> {
            if (failure != null) {
                reply.completeExceptionally(failure);
            } else if (!reply.complete(answer)) {
                answer.release();
            }
        };
    }

    /**
     * Sends a complete frame (released here) and hands the reply to {@code reply}: the hot path's way, without a future
     * between the shard connection and what reads the reply. Called on one of the group's event loops, the reply is
     * handed over on that same loop.
     */
    public void send(ByteBuf frame, ReplyHandler reply) {
        if (closed) {
            frame.release();
            reply.reply(null, new ShardUnreachableException(host, new IOException("pool closed")));
            return;
        }
        LoopPool pool = current();
        if (pool != null) {
            pool.send(frame, reply, 0);
        } else {
            // Not on one of our loops (a catalog thread, a retry's timer): pick a loop and go there once.
            LoopPool chosen = pools[Math.floorMod(frame.getIntLE(frame.readerIndex() + 4), pools.length)];
            chosen.loop.execute(() -> chosen.send(frame, reply, 0));
        }
    }

    private LoopPool current() {
        for (LoopPool p : pools) {
            if (p.loop.inEventLoop()) {
                return p;
            }
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
        for (LoopPool p : pools) {
            try {
                p.loop.execute(p::closeAll);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the loop is shutting down and closes its channels itself
            }
        }
    }

    /** A request sent and not yet answered. */
    private record Pending(int requestId, ReplyHandler reply, long deadlineNanos, long repliesBefore) {
    }

    /** One loop's connections to the host; touched only on that loop. */
    private final class LoopPool {
        final EventLoop loop;
        final List<Conn> conns = new ArrayList<>();
        /** Read from other loops only to find a loop that has a connection at all. */
        volatile int size;
        /**
         * One timer per loop sweeps for requests past their deadline while any are in flight, instead of a timer
         * scheduled and cancelled per request: a timeout fires between 1 and 1.25 times timeoutMillis.
         */
        private ScheduledFuture<?> sweep;

        LoopPool(EventLoop loop) {
            this.loop = loop;
        }

        void send(ByteBuf frame, ReplyHandler reply, int hops) {
            if (closed) {
                frame.release();
                reply.reply(null, new ShardUnreachableException(host, new IOException("pool closed")));
                return;
            }
            Conn conn = pick();
            if (conn == null && hops < pools.length) {
                // The host's bound is taken by other loops' connections: borrow one of those loops.
                for (LoopPool other : pools) {
                    if (other != this && other.size > 0) {
                        other.loop.execute(() -> other.send(frame, reply, hops + 1));
                        return;
                    }
                }
            }
            if (conn == null) {
                connections.incrementAndGet(); // those connections closed meanwhile: take one over the count
                conn = open();
            }
            conn.send(frame, reply);
        }

        /** An idle connection, else a new one while the bound allows, else the least busy one; null if none here. */
        private Conn pick() {
            Conn least = null;
            for (Conn c : conns) {
                int n = c.inFlight();
                if (n == 0) {
                    return c;
                }
                if (least == null || n < least.inFlight()) {
                    least = c;
                }
            }
            if (conns.size() < perLoop) {
                // Announce the connection before taking it from the bound, so a loop that finds the bound taken
                // also finds a loop to borrow from.
                size = conns.size() + 1;
                if (reserve()) {
                    return open();
                }
                size = conns.size();
            }
            return least;
        }

        private boolean reserve() {
            for (int n = connections.get(); n < maxConnections; n = connections.get()) {
                if (connections.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
            return false;
        }

        void startSweep() {
            if (sweep == null) {
                long period = Math.max(1, timeoutMillis / 4);
                sweep = loop.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
            }
        }

        private void sweep() {
            long now = System.nanoTime();
            boolean waiting = false;
            for (Conn c : new ArrayList<>(conns)) {
                waiting |= c.expire(now);
            }
            if (!waiting) {
                sweep.cancel(false);
                sweep = null;
            }
        }

        /** A new connection, already counted in the bound. */
        private Conn open() {
            Conn conn = new Conn(this);
            conns.add(conn);
            size = conns.size();
            conn.connect();
            return conn;
        }

        void remove(Conn conn) {
            if (conns.remove(conn)) {
                size = conns.size();
                connections.decrementAndGet();
            }
        }

        void closeAll() {
            for (Conn c : new ArrayList<>(conns)) {
                c.fail(new IOException("pool closed"));
                if (c.channel != null) {
                    c.channel.close();
                }
            }
        }
    }

    /** One backend connection: requests in flight by request id, and those waiting for the connect. */
    private final class Conn extends ChannelInboundHandlerAdapter {
        final LoopPool pool;
        final IntObjectHashMap<Pending> inFlight = new IntObjectHashMap<>(8);
        List<ByteBuf> unsent = new ArrayList<>(2);
        Channel channel;
        boolean connected;
        boolean dead;
        /** Replies read so far; a timeout closes the connection only when nothing came back since the request went out. */
        long replies;

        Conn(LoopPool pool) {
            this.pool = pool;
        }

        int inFlight() {
            return inFlight.size();
        }

        void connect() {
            ChannelFuture f = bootstrap.clone(pool.loop).handler(new io.netty.channel.ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    if (tlsClient != null) {
                        int colon = host.lastIndexOf(':');
                        io.netty.handler.ssl.SslHandler handler = tlsClient.newHandler(ch.alloc(), host.substring(0, colon),
                            Integer.parseInt(host.substring(colon + 1)));
                        tls.verifyHostname(handler.engine());
                        ch.pipeline().addLast(handler);
                    }
                    ch.pipeline().addLast(new WireFrameDecoder()).addLast(Conn.this);
                }
            }).connect();
            channel = f.channel();
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    pool.remove(this);
                    fail(done.cause());
                    return;
                }
                if (key == null) {
                    ready();
                    return;
                }
                login().whenComplete((ok, failure) -> {
                    if (failure != null) {
                        fail(failure);
                        channel.close();
                    } else {
                        ready();
                    }
                });
            });
        }

        /** Connected (and logged in): what waited for the connection is written. */
        private void ready() {
            connected = true;
            if (dead) {
                channel.close();
                return;
            }
            for (ByteBuf b : unsent) {
                channel.write(b, channel.voidPromise());
            }
            unsent = null;
            channel.flush();
        }

        /** SCRAM-SHA-256 as __system@local with the cluster's key, on this loop, before any request is written. */
        private CompletableFuture<Void> login() {
            io.shardstore.security.ScramClient scram = new io.shardstore.security.ScramClient(
                io.shardstore.security.ScramMechanism.SHA_256, io.shardstore.security.KeyFile.SYSTEM_USER, key.password());
            org.bson.BsonDocument start = new org.bson.BsonDocument("saslStart", new org.bson.BsonInt32(1))
                .append("mechanism", new org.bson.BsonString(scram.mechanism().mechanismName()))
                .append("payload", new org.bson.BsonBinary(scram.first()))
                .append("options", new org.bson.BsonDocument("skipEmptyExchange", org.bson.BsonBoolean.TRUE))
                .append("$db", new org.bson.BsonString(io.shardstore.security.KeyFile.SYSTEM_DB));
            // The client proof needs the salted key (PBKDF2): computed off the event loop, then back on it to write.
            return exchange(start).thenApplyAsync(first -> new org.bson.BsonDocument("saslContinue", new org.bson.BsonInt32(1))
                    .append("conversationId", first.get("conversationId"))
                    .append("payload", new org.bson.BsonBinary(scram.finalMessage(payload(first))))
                    .append("$db", new org.bson.BsonString(io.shardstore.security.KeyFile.SYSTEM_DB)),
                    java.util.concurrent.ForkJoinPool.commonPool())
                .thenComposeAsync(this::exchange, pool.loop)
                .thenAccept(last -> scram.verify(payload(last)));
        }

        private byte[] payload(org.bson.BsonDocument reply) {
            if (!reply.isBinary("payload")) {
                throw new io.shardstore.security.AuthenticationFailed("internal authentication to " + host + " failed: " + reply.toJson());
            }
            return reply.getBinary("payload").getData();
        }

        /** One command of the login, written at once (requests wait in unsent until it is done). */
        private CompletableFuture<org.bson.BsonDocument> exchange(org.bson.BsonDocument command) {
            CompletableFuture<ByteBuf> reply = new CompletableFuture<>();
            ByteBuf frame = ShardGateway.Outbound.of(new org.bson.RawBsonDocument(command, new org.bson.codecs.BsonDocumentCodec()))
                .encode(channel.alloc(), nextRequestId());
            int requestId = frame.getIntLE(frame.readerIndex() + 4);
            inFlight.put(requestId, new Pending(requestId, completing(reply),
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis), replies));
            pool.startSweep();
            channel.writeAndFlush(frame, channel.voidPromise());
            return reply.thenApply(f -> new org.bson.RawBsonDocument(ShardGateway.replyBody(f)));
        }

        void send(ByteBuf frame, ReplyHandler reply) {
            if (dead) {
                frame.release();
                reply.reply(null, new ShardUnreachableException(host, new IOException("connection closed")));
                return;
            }
            int requestId = frame.getIntLE(frame.readerIndex() + 4);
            inFlight.put(requestId, new Pending(requestId, reply, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis), replies));
            pool.startSweep();
            if (!connected) {
                unsent.add(frame);
                return;
            }
            // No promise per write: a failed write reaches exceptionCaught, which closes the connection, and
            // channelInactive fails what is in flight.
            channel.writeAndFlush(frame, channel.voidPromise());
        }

        /** Fails the requests past their deadline; true when some are still waiting. */
        boolean expire(long now) {
            if (inFlight.isEmpty()) {
                return false;
            }
            boolean silent = false;
            for (Pending p : new ArrayList<>(inFlight.values())) {
                if (now - p.deadlineNanos() >= 0) {
                    inFlight.remove(p.requestId());
                    p.reply().reply(null, new ShardUnreachableException(host,
                        new TimeoutException("no reply in " + timeoutMillis + " ms")));
                    silent |= replies == p.repliesBefore();
                }
            }
            if (silent && channel != null) {
                channel.close(); // the host is silent on this connection, not just slow on one request
            }
            return !inFlight.isEmpty();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            replies++;
            Pending p = inFlight.remove(frame.getIntLE(frame.readerIndex() + 8));
            if (p == null) {
                frame.release(); // a late reply to a request that timed out
                return;
            }
            p.reply().reply(frame, null); // removed from inFlight first: handed over once
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            pool.remove(this);
            fail(new IOException("connection closed"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        void fail(Throwable cause) {
            dead = true;
            if (unsent != null) {
                unsent.forEach(ByteBuf::release);
                unsent.clear();
            }
            if (inFlight.isEmpty()) {
                return;
            }
            List<Pending> failed = new ArrayList<>(inFlight.values());
            inFlight.clear();
            for (Pending p : failed) {
                p.reply().reply(null, new ShardUnreachableException(host, cause));
            }
        }
    }
}
