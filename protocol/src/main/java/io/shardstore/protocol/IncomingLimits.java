package io.shardstore.protocol;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one server (a router or a node) holds for its clients, shared by all its connections: how many connections it
 * accepts ({@code --maxConns}, mongod's {@code net.maxIncomingConnections}), how many bytes of messages that have not
 * arrived whole it keeps in all ({@code --maxIncompleteMessageBytes}), and how long a connection may sit on half a
 * message without sending more ({@code --incompleteMessageTimeoutMS}).
 * <p>
 * Why the byte bound: a message announces its length up front (up to 48 MB) and the server must keep what came until
 * the rest does. Three hundred connections that each announce 47 MB and send 1 MB held the router's whole direct
 * memory, and then every client's request failed (issue 12). With the bound, the connection whose incomplete message
 * pushes the total over it is closed instead; a message below {@link #ALWAYS_ALLOWED_BYTES} is never refused, so
 * ordinary requests keep being read while a flood is cut off.
 */
public final class IncomingLimits {
    /** mongod's default net.maxIncomingConnections. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1_000_000;
    /** Incomplete messages smaller than this are never the reason a connection is closed. */
    public static final int ALWAYS_ALLOWED_BYTES = 256 * 1024;
    public static final long DEFAULT_INCOMPLETE_TIMEOUT_MILLIS = 60_000;

    private final int maxConnections;
    private final long maxIncompleteBytes;
    private final long incompleteTimeoutMillis;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong incomplete = new AtomicLong();
    private final AtomicLong refusedConnections = new AtomicLong();
    private final AtomicLong closedForBytes = new AtomicLong();
    private final AtomicLong closedForIdleness = new AtomicLong();

    public IncomingLimits(int maxConnections, long maxIncompleteBytes, long incompleteTimeoutMillis) {
        if (maxConnections < 1 || maxIncompleteBytes < ALWAYS_ALLOWED_BYTES || incompleteTimeoutMillis < 1) {
            throw new IllegalArgumentException("maxConns must be at least 1, maxIncompleteMessageBytes at least "
                + ALWAYS_ALLOWED_BYTES + " and incompleteMessageTimeoutMS at least 1");
        }
        this.maxConnections = maxConnections;
        this.maxIncompleteBytes = maxIncompleteBytes;
        this.incompleteTimeoutMillis = incompleteTimeoutMillis;
    }

    /**
     * The defaults: mongod's connection limit, {@link #defaultIncompleteBytes()}, a minute of silence in the middle of
     * a message.
     */
    public static IncomingLimits defaults() {
        return new IncomingLimits(DEFAULT_MAX_CONNECTIONS, defaultIncompleteBytes(), DEFAULT_INCOMPLETE_TIMEOUT_MILLIS);
    }

    /**
     * A quarter of the direct memory Netty may use (the rest stays for replies and shard connections), but room for two
     * messages of the largest size arriving at once, so that bulk writes of ordinary clients are never cut, and at most
     * half of it.
     */
    public static long defaultIncompleteBytes() {
        long direct = io.netty.util.internal.PlatformDependent.maxDirectMemory();
        long wanted = Math.max(direct / 4, 2L * WireLimits.MAX_MESSAGE_SIZE_BYTES);
        return Math.max(ALWAYS_ALLOWED_BYTES, Math.min(wanted, direct / 2));
    }

    public int maxConnections() {
        return maxConnections;
    }

    public long maxIncompleteBytes() {
        return maxIncompleteBytes;
    }

    public long incompleteTimeoutMillis() {
        return incompleteTimeoutMillis;
    }

    /** Counts a new connection; false (and not counted) when the limit is reached. */
    boolean open() {
        while (true) {
            int now = open.get();
            if (now >= maxConnections) {
                refusedConnections.incrementAndGet();
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void closed() {
        open.decrementAndGet();
    }

    /**
     * Records that a connection now holds {@code delta} more (or fewer) bytes of an incomplete message; false when the
     * total is over the bound and this connection's {@code held} bytes are more than an ordinary request's.
     */
    boolean hold(long delta, long held) {
        if (delta == 0) {
            return true; // a message that came whole: no write to the counter every loop shares
        }
        long total = incomplete.addAndGet(delta);
        return delta <= 0 || total <= maxIncompleteBytes || held < ALWAYS_ALLOWED_BYTES;
    }

    void closedForBytes() {
        closedForBytes.incrementAndGet();
    }

    void closedForIdleness() {
        closedForIdleness.incrementAndGet();
    }

    /** Connections open now. */
    public int current() {
        return open.get();
    }

    /** Bytes of incomplete messages held now, over all connections. */
    public long incompleteBytes() {
        return incomplete.get();
    }

    /** Counters for serverStatus: refused connections, connections closed for the byte bound and for idleness. */
    public long refusedConnections() {
        return refusedConnections.get();
    }

    public long closedForBytesCount() {
        return closedForBytes.get();
    }

    public long closedForIdlenessCount() {
        return closedForIdleness.get();
    }
}
