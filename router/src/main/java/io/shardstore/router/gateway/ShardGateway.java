package io.shardstore.router.gateway;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.ReadPreference;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.protocol.OpCode;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.BsonBytes;
import io.shardstore.sharding.ChunkVersion;
import io.shardstore.router.topology.CatalogCache;

/**
 * Sends commands to shards by shard name. A shard is one host or a replica set ({@code rs/h1:p1,h2:p2});
 * for a set, a {@link ReplicaSetMonitor} picks the member: the primary for writes, the client's read
 * preference for reads. When the primary fails or steps down, the request is held until the monitor sees a
 * new primary (bounded by the failover timeout) and sent again where that is safe (see {@link Intent}).
 * Each member host has its own bounded connection pool; replies come back as raw BSON (not decoded).
 */
public final class ShardGateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShardGateway.class);
    /** The config server, addressed like a shard under this name (config.* reads, DDL). */
    public static final String CONFIG = "config";
    /** How often a held request looks at the topology again if no change was reported (a safety net). */
    private static final long RECHECK_MILLIS = 100;

    private final CatalogCache catalog;
    private final EventLoopGroup group;
    private final int poolSize;
    private final long timeoutMillis;
    private final long failoverMillis;
    private final long heartbeatMillis;
    private final String configHost;
    private final Map<String, ShardPool> pools = new ConcurrentHashMap<>();
    private final Map<String, ReplicaSetMonitor> monitors = new ConcurrentHashMap<>();

    /**
     * @param failoverMillis how long a request waits for a replica set to have a member it may go to
     * @param heartbeatMillis how often replica-set members are checked (awaitable hellos report changes sooner)
     */
    public ShardGateway(CatalogCache catalog, String configHost, EventLoopGroup group, int poolSize, long timeoutMillis,
                        long failoverMillis, long heartbeatMillis) {
        this(catalog, configHost, group, poolSize, timeoutMillis, failoverMillis, heartbeatMillis, null,
            io.shardstore.protocol.TlsOptions.DISABLED);
    }

    /** The cluster's key: connections to shards and the config server log in as __system with it; null without one. */
    private final io.shardstore.security.KeyFile key;
    /** TLS of the router's own connections (preferTLS, requireTLS): the pools' and the monitors'. */
    private final io.shardstore.protocol.TlsOptions tls;
    private final io.netty.handler.ssl.SslContext tlsClient;

    public ShardGateway(CatalogCache catalog, String configHost, EventLoopGroup group, int poolSize, long timeoutMillis,
                        long failoverMillis, long heartbeatMillis, io.shardstore.security.KeyFile key,
                        io.shardstore.protocol.TlsOptions tls) {
        this.key = key;
        this.tls = tls;
        this.tlsClient = tls.outgoing() ? tls.clientContext() : null;
        this.catalog = catalog;
        this.configHost = configHost;
        this.group = group;
        this.poolSize = poolSize;
        this.timeoutMillis = timeoutMillis;
        this.failoverMillis = failoverMillis;
        this.heartbeatMillis = heartbeatMillis;
    }

    /** Sends a command document to a shard: to the member its read preference (or being a write) asks for. */
    public CompletableFuture<RawBsonDocument> command(String shard, BsonDocument command) {
        return call(shard, command).thenApply(r -> new RawBsonDocument(r.body()));
    }

    /** Like {@link #command} but also says which member answered (for cursors, which live on that member). */
    public CompletableFuture<ShardReply> call(String shard, BsonDocument command) {
        RawBsonDocument raw = command instanceof RawBsonDocument r ? r : new RawBsonDocument(command, new BsonDocumentCodec());
        return send(shard, Outbound.of(raw), raw);
    }

    /** Sends a command to one member (a cursor's getMore or killCursors), wherever the set's primary is now. */
    public CompletableFuture<RawBsonDocument> commandOn(String host, BsonDocument command) {
        RawBsonDocument raw = command instanceof RawBsonDocument r ? r : new RawBsonDocument(command, new BsonDocumentCodec());
        return sendOn(host, Outbound.of(raw)).thenApply(RawBsonDocument::new);
    }

    /**
     * Sends a prepared message (body bytes plus any document sequences, forwarded as they came); {@code body} is the
     * same command readable as a document, consulted only when the shard is a replica set.
     */
    public CompletableFuture<ShardReply> send(String shard, Outbound message, BsonDocument body) {
        return send(shard, message, () -> Intent.of(body));
    }

    /**
     * Sends a prepared message; {@code intent} says where in a replica set it may go (asked only when the shard is
     * one), read from a forwarded request's recorded fields rather than from its body again.
     */
    public CompletableFuture<ShardReply> send(String shard, Outbound message, Supplier<Intent> intent) {
        return send(shard, message, intent, false);
    }

    /**
     * Like {@link #send(String, Outbound, Supplier)}, and the reply also holds the shard's frame ({@link ShardReply#frame},
     * retained), so that a reply going back to the client as it came can be written without being encoded again. The
     * caller releases the frame. A plain shard's reply holds none.
     */
    public CompletableFuture<ShardReply> sendKeepingFrame(String shard, Outbound message, Supplier<Intent> intent) {
        return send(shard, message, intent, true);
    }

    private CompletableFuture<ShardReply> send(String shard, Outbound message, Supplier<Intent> intent, boolean keepFrame) {
        CompletableFuture<Map<String, String>> known = catalog.shards();
        if (known.isDone() && !known.isCompletedExceptionally()) {
            return sendOrReload(shard, message, intent, known, known.join(), keepFrame); // the usual case: no stage in between
        }
        return known.thenCompose(hosts -> sendOrReload(shard, message, intent, known, hosts, keepFrame));
    }

    /**
     * A shard id the cached list lacks was most likely added after the list was read (the catalog named it, so it
     * exists): as mongos's shard registry does, read the list again once before giving up on it.
     */
    private CompletableFuture<ShardReply> sendOrReload(String shard, Outbound message, Supplier<Intent> intent,
                                                       CompletableFuture<Map<String, String>> seen, Map<String, String> hosts,
                                                       boolean keepFrame) {
        if (shard.equals(CONFIG) || hosts.containsKey(shard)) {
            return send(shard, message, intent, hosts, keepFrame);
        }
        return catalog.reloadShards(seen).thenCompose(fresh -> send(shard, message, intent, fresh, keepFrame));
    }

    private CompletableFuture<ShardReply> send(String shard, Outbound given, Supplier<Intent> intentOf, Map<String, String> hosts,
                                               boolean keepFrame) {
        String spec = shard.equals(CONFIG) ? configHost : hosts.get(shard);
        if (spec == null) {
            // Not even in a freshly read list: removed (mongos answers ShardNotFound for a shard id it cannot resolve).
            return CompletableFuture.failedFuture(new RouterError(ErrorCode.ShardNotFound, "Shard " + shard + " not found"));
        }
        if (!catalog.isPlain(shard)) {
            return sendPrepared(spec, given, intentOf, keepFrame);
        }
        CompletableFuture<Outbound> prepared = forPlainShard(shard, given);
        if (prepared.isDone() && !prepared.isCompletedExceptionally()) {
            return sendPrepared(spec, prepared.join(), intentOf, false);
        }
        return prepared.thenCompose(message -> sendPrepared(spec, message, intentOf, false));
    }

    /**
     * A message for a plain shard: without a shard version, and, while its collection is migrated over plain shards,
     * restricted to the chunks this shard owns in the routing table it was planned with ({@link OwnershipFilter}). A
     * request planned with another table than the one cached now fails with StaleConfig, as our nodes would answer
     * it: the dispatcher reads the routing again and plans it again.
     */
    private CompletableFuture<Outbound> forPlainShard(String shard, Outbound given) {
        if (!catalog.plainFences().anyFence()) {
            return CompletableFuture.completedFuture(given.forPlainShard());
        }
        BsonDocument command = OwnershipFilter.decode(given.body(), given.bodyLength());
        String name = command.isEmpty() ? "" : command.getFirstKey();
        if (!command.isString(name) || !command.isString("$db")) {
            return CompletableFuture.completedFuture(given.forPlainShard());
        }
        String ns = command.getString("$db").getValue() + "." + command.getString(name).getValue();
        if (catalog.plainFences().fence(ns) == null) {
            return CompletableFuture.completedFuture(given.forPlainShard());
        }
        ChunkVersion sent = given.shardVersion() != null ? given.shardVersion()
            : command.isDocument("shardVersion") ? ChunkVersion.fromShardVersion(command.getDocument("shardVersion")) : null;
        command.remove("shardVersion");
        return catalog.chunkMap(ns).thenApply(map -> {
            if (map.isEmpty()) {
                return given.forPlainShard();
            }
            if (sent != null && !sent.equals(map.get().shardVersion(shard))) {
                throw new RouterError.StaleConfigError(ns, "the request was planned with version " + sent + " of " + ns
                    + " for plain shard " + shard + ", and the router now has " + map.get().shardVersion(shard));
            }
            BsonDocument own = OwnershipFilter.predicate(map.get(), shard);
            return own == null ? given.forPlainShard() : OwnershipFilter.apply(command, given.sections(), own);
        });
    }

    private CompletableFuture<ShardReply> sendPrepared(String spec, Outbound message, Supplier<Intent> intentOf, boolean keepFrame) {
        ReplicaSetMonitor monitor = monitor(spec);
        if (monitor == null) {
            return pool(spec).send(message.encode(ByteBufAllocator.DEFAULT, ShardPool.nextRequestId()))
                .thenApply(frame -> reply(frame, spec, keepFrame));
        }
        Intent intent;
        try {
            intent = intentOf.get();
        } catch (RouterError e) {
            return CompletableFuture.failedFuture(e);
        }
        long wait = intent.maxTimeMillis() > 0 ? Math.min(failoverMillis, intent.maxTimeMillis()) : failoverMillis;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
        return toMember(monitor, message, intent, null, deadline, keepFrame);
    }

    /** The reply read off its frame: the frame released, or handed on in the reply for the caller to release. */
    private static ShardReply reply(ByteBuf frame, String host, boolean keepFrame) {
        if (!keepFrame) {
            return new ShardReply(replyBody(frame), host);
        }
        try {
            return new ShardReply(body(frame), host, frame);
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
    }

    /**
     * Whether every shard records retryable writes (each is a replica set; a single node keeps no records), so that a
     * client's retry of a whole batch applies each statement once. False while the shard list is not loaded yet.
     */
    public boolean shardsRecordRetryableWrites() {
        CompletableFuture<Map<String, String>> known = catalog.shards();
        return known.isDone() && !known.isCompletedExceptionally() && !known.join().isEmpty()
            && known.join().values().stream().allMatch(spec -> spec.indexOf('/') >= 0);
    }

    /** The monitor of a replica-set host string, or null for a single host. */
    private ReplicaSetMonitor monitor(String spec) {
        if (spec.indexOf('/') < 0) {
            return null;
        }
        return monitors.computeIfAbsent(spec, s -> new ReplicaSetMonitor(HostSpec.parse(s), heartbeatMillis, tls));
    }

    /** Selects a member (waiting for one while the set has none that fits) and sends; resends after a failover. */
    private CompletableFuture<ShardReply> toMember(ReplicaSetMonitor monitor, Outbound message, Intent intent, String avoid, long deadline,
                                                   boolean keepFrame) {
        String host = monitor.select(intent.readPreference(), avoid);
        if (host != null) {
            return sendTo(monitor, message, intent, host, deadline, keepFrame); // the usual case: a member fits now, no stage
        }
        return awaitMember(monitor, intent.readPreference(), avoid, deadline)
            .thenCompose(member -> sendTo(monitor, message, intent, member, deadline, keepFrame));
    }

    /** Sends to {@code host}; a "not primary" answer or a lost connection goes to the next member where that is safe. */
    private CompletableFuture<ShardReply> sendTo(ReplicaSetMonitor monitor, Outbound message, Intent intent, String host, long deadline,
                                                 boolean keepFrame) {
        CompletableFuture<ShardReply> result = new CompletableFuture<>();
        // A handler, not a future: the reply goes from the shard connection to the result with no stage in between.
        pool(host).send(message.encode(ByteBufAllocator.DEFAULT, ShardPool.nextRequestId()), (frame, failure) -> {
            try {
                onReply(monitor, message, intent, host, deadline, keepFrame, result, frame, failure);
            } catch (RuntimeException e) {
                result.completeExceptionally(e); // it runs on the shard connection's read: nothing may escape
            }
        });
        return result;
    }

    /** A member's reply (or failure) to {@link #sendTo}: the result, or the request sent again after a failover. */
    private void onReply(ReplicaSetMonitor monitor, Outbound message, Intent intent, String host, long deadline, boolean keepFrame,
                         CompletableFuture<ShardReply> result, ByteBuf frame, Throwable failure) {
        if (failure == null) {
            ShardReply reply;
            try {
                reply = reply(frame, host, keepFrame);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            int code;
            try {
                code = notPrimaryCode(reply.body());
            } catch (RuntimeException e) {
                reply.release();
                throw e;
            }
            boolean resend = code != 0 && (notRun(code) || intent.resendable());
            if (!resend || System.nanoTime() >= deadline) {
                result.complete(reply);
                return;
            }
            reply.release();
            log.info("{} answered {} for set {}: waiting for a new primary, then sending again", host, code, monitor.setName());
        } else if (!(intent.resendable() || neverSent(failure)) || System.nanoTime() >= deadline) {
            result.completeExceptionally(failure);
            return;
        } else {
            log.info("{} of set {} failed ({}): sending again elsewhere", host, monitor.setName(), failure.getMessage());
        }
        toMember(monitor, message, intent, host, deadline, keepFrame).whenComplete((again, fault) -> {
            if (fault != null) {
                result.completeExceptionally(fault);
            } else {
                result.complete(again);
            }
        });
    }

    /** Completes with a member that fits; fails with FailedToSatisfyReadPreference (133) at the deadline. */
    private CompletableFuture<String> awaitMember(ReplicaSetMonitor monitor, ReadPreference preference, String avoid, long deadline) {
        var seen = monitor.description();
        String host = monitor.select(preference, avoid);
        if (host != null) {
            return CompletableFuture.completedFuture(host);
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return CompletableFuture.failedFuture(new RouterError(ErrorCode.FailedToSatisfyReadPreference,
                "Could not find host matching read preference " + preference.toDocument().toJson() + " for set " + monitor.setName()));
        }
        // A private wake-up: the monitor's change future is shared, so only a real change may complete it.
        CompletableFuture<Void> wake = new CompletableFuture<>();
        monitor.nextChange().thenRun(() -> wake.complete(null));
        var timer = group.next().schedule(() -> wake.complete(null), Math.min(RECHECK_MILLIS, TimeUnit.NANOSECONDS.toMillis(remaining) + 1),
            TimeUnit.MILLISECONDS);
        return wake.thenCompose(woken -> {
            timer.cancel(false);
            // A member that just failed stays avoided until the monitor has a newer view of the set.
            String stillAvoid = monitor.description() == seen ? avoid : null;
            return awaitMember(monitor, preference, stillAvoid, deadline);
        });
    }

    /** The code of a "this member cannot serve that now" reply (ok: 0), or 0. */
    private static int notPrimaryCode(byte[] reply) {
        if (BsonBytes.isOk(reply)) {
            return 0; // read straight off the bytes: most replies are
        }
        RawBsonDocument doc = new RawBsonDocument(reply);
        var ok = doc.get("ok");
        if (ok == null || !ok.isNumber() || ok.asNumber().doubleValue() != 0) {
            return 0;
        }
        var code = doc.get("code");
        int c = code != null && code.isNumber() ? code.asNumber().intValue() : 0;
        return switch (c) {
            case 10107, 13435, 13436, 189, 11602, 91, 11600 -> c;
            default -> 0;
        };
    }

    /** A connection that could not be opened: the command never left the router. */
    private static boolean neverSent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    /** Refusals a member gives before running anything, so sending elsewhere cannot run a command twice. */
    private static boolean notRun(int code) {
        return code == ErrorCode.NotWritablePrimary.code() || code == ErrorCode.NotPrimaryNoSecondaryOk.code()
            || code == ErrorCode.NotPrimaryOrSecondary.code();
    }

    /** Sends a prepared message to one host through its pool (a cursor's getMore: to its member, whatever its state now). */
    public CompletableFuture<byte[]> sendOn(String host, Outbound message) {
        return pool(host).send(message.encode(ByteBufAllocator.DEFAULT, ShardPool.nextRequestId())).thenApply(ShardGateway::replyBody);
    }

    private ShardPool pool(String host) {
        ShardPool pool = pools.get(host);
        return pool != null ? pool : pools.computeIfAbsent(host, h -> new ShardPool(h, group, poolSize, timeoutMillis, key, tlsClient, tls));
    }

    static byte[] replyBody(ByteBuf frame) {
        try {
            return body(frame);
        } finally {
            frame.release();
        }
    }

    /** A copy of an OP_MSG reply's body (its first section); the frame stays the caller's. */
    private static byte[] body(ByteBuf frame) {
        int base = frame.readerIndex();
        int opCode = frame.getIntLE(base + 12);
        if (opCode != OpCode.OP_MSG.code()) {
            throw new IllegalStateException("shard replied with opcode " + opCode);
        }
        int size = frame.getIntLE(base + 21);
        byte[] body = new byte[size];
        frame.getBytes(base + 21, body);
        return body;
    }

    public int poolCount() {
        return pools.size();
    }

    @Override
    public void close() {
        monitors.values().forEach(ReplicaSetMonitor::close);
        pools.values().forEach(ShardPool::close);
    }

    /** An OP_MSG to send: the body and, optionally, kind-1 sections copied byte for byte from the client's request. */
    public record Outbound(byte[] body, int bodyLength, ByteBuf sections, ChunkVersion shardVersion) {

        public Outbound(byte[] body, int bodyLength, ByteBuf sections) {
            this(body, bodyLength, sections, null);
        }

        public static Outbound of(RawBsonDocument doc) {
            byte[] bytes = BsonBytes.bytes(doc);
            return new Outbound(bytes, bytes.length, null);
        }

        /** This message for a plain shard: no shard version, neither to append nor already in the body (issue 11). */
        Outbound forPlainShard() {
            byte[] stripped = BsonBytes.withoutShardVersion(body, bodyLength);
            return stripped == body && shardVersion == null ? this : new Outbound(stripped, stripped.length, sections, null);
        }

        ByteBuf encode(ByteBufAllocator alloc, int requestId) {
            int sectionBytes = sections == null ? 0 : sections.readableBytes();
            int extra = shardVersion == null ? 0 : BsonBytes.SHARD_VERSION_ELEMENT;
            int length = 16 + 4 + 1 + bodyLength + extra + sectionBytes;
            ByteBuf out = alloc.buffer(length);
            out.writeIntLE(length).writeIntLE(requestId).writeIntLE(0).writeIntLE(OpCode.OP_MSG.code());
            out.writeIntLE(0);
            out.writeByte(0);
            if (shardVersion == null) {
                out.writeBytes(body, 0, bodyLength);
            } else {
                // The body with shardVersion appended, written once into the frame: no intermediate copy of the body.
                BsonBytes.writeWithShardVersion(out, body, bodyLength, shardVersion);
            }
            if (sections != null) {
                out.writeBytes(sections, sections.readerIndex(), sectionBytes);
            }
            return out;
        }

    }
}
