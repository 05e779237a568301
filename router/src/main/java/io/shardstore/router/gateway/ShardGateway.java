package io.shardstore.router.gateway;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.shardstore.protocol.OpCode;
import io.shardstore.router.topology.CatalogCache;

/**
 * Sends commands to shards by shard name: resolves the host from config.shards and uses that host's
 * bounded connection pool. Commands go out as OP_MSG; replies come back as raw BSON (not decoded).
 */
public final class ShardGateway implements AutoCloseable {
    private final CatalogCache catalog;
    private final EventLoopGroup group;
    private final int poolSize;
    private final long timeoutMillis;
    private final Map<String, ShardPool> pools = new ConcurrentHashMap<>();
    /** The config server, addressed like a shard under this name (config.* reads, DDL). */
    public static final String CONFIG = "config";
    private final String configHost;

    public ShardGateway(CatalogCache catalog, String configHost, EventLoopGroup group, int poolSize, long timeoutMillis) {
        this.catalog = catalog;
        this.configHost = configHost;
        this.group = group;
        this.poolSize = poolSize;
        this.timeoutMillis = timeoutMillis;
    }

    /** Sends a command document to a shard. */
    public CompletableFuture<RawBsonDocument> command(String shard, BsonDocument command) {
        RawBsonDocument raw = command instanceof RawBsonDocument r ? r : new RawBsonDocument(command, new org.bson.codecs.BsonDocumentCodec());
        return send(shard, Outbound.of(raw)).thenApply(RawBsonDocument::new);
    }

    /** Sends a prepared message (body bytes plus any document sequences, forwarded as they came). */
    public CompletableFuture<byte[]> send(String shard, Outbound message) {
        return catalog.shards().thenCompose(hosts -> {
            String host = shard.equals(CONFIG) ? configHost : hosts.get(shard);
            if (host == null) {
                catalog.invalidateShards();
                return CompletableFuture.failedFuture(new ShardUnreachableException(shard, new IllegalStateException("unknown shard")));
            }
            ShardPool pool = pools.computeIfAbsent(host, h -> new ShardPool(primaryHost(h), group, poolSize, timeoutMillis));
            return pool.send(message.encode(ByteBufAllocator.DEFAULT, ShardPool.nextRequestId())).thenApply(ShardGateway::replyBody);
        });
    }

    /** {@code rs/h1:p1,h2:p2} names a replica set; until replica-set monitoring lands, its first member is used. */
    private static String primaryHost(String host) {
        int slash = host.indexOf('/');
        String list = slash >= 0 ? host.substring(slash + 1) : host;
        int comma = list.indexOf(',');
        return comma >= 0 ? list.substring(0, comma) : list;
    }

    private static byte[] replyBody(ByteBuf frame) {
        try {
            int base = frame.readerIndex();
            int opCode = frame.getIntLE(base + 12);
            if (opCode != OpCode.OP_MSG.code()) {
                throw new IllegalStateException("shard replied with opcode " + opCode);
            }
            int size = frame.getIntLE(base + 21);
            byte[] body = new byte[size];
            frame.getBytes(base + 21, body);
            return body;
        } finally {
            frame.release();
        }
    }

    public int poolCount() {
        return pools.size();
    }

    @Override
    public void close() {
        pools.values().forEach(ShardPool::close);
    }

    /** An OP_MSG to send: the body and, optionally, kind-1 sections copied byte for byte from the client's request. */
    public record Outbound(byte[] body, int bodyLength, ByteBuf sections) {

        public static Outbound of(RawBsonDocument doc) {
            byte[] bytes = io.shardstore.router.engine.BsonBytes.bytes(doc);
            return new Outbound(bytes, bytes.length, null);
        }

        ByteBuf encode(ByteBufAllocator alloc, int requestId) {
            int sectionBytes = sections == null ? 0 : sections.readableBytes();
            int length = 16 + 4 + 1 + bodyLength + sectionBytes;
            ByteBuf out = alloc.buffer(length);
            out.writeIntLE(length).writeIntLE(requestId).writeIntLE(0).writeIntLE(OpCode.OP_MSG.code());
            out.writeIntLE(0);
            out.writeByte(0);
            out.writeBytes(body, 0, bodyLength);
            if (sections != null) {
                out.writeBytes(sections, sections.readerIndex(), sectionBytes);
            }
            return out;
        }

    }
}
