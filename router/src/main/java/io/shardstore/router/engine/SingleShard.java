package io.shardstore.router.engine;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

import io.netty.buffer.ByteBuf;
import io.shardstore.router.command.Replies;
import io.shardstore.router.cursor.RemoteCursor;
import io.shardstore.router.frontend.DirectReply;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.gateway.Intent;
import io.shardstore.router.gateway.ShardGateway;
import io.shardstore.router.gateway.ShardReply;
import io.shardstore.sharding.ChunkVersion;

/**
 * The Route primitive: the request goes to one shard as it came (body bytes plus the shard version,
 * document sequences byte for byte) and the reply comes back as it went, with only a cursor id swapped
 * for a router cursor id. Nothing on this path decodes a document.
 */
public final class SingleShard {

    private SingleShard() {
    }

    public static CompletableFuture<BsonDocument> forward(Exec exec, String shard, RouterRequest request, ChunkVersion version, String ns) {
        return forward(exec, shard, request, version, ns, null);
    }

    /**
     * Forwards the request; with {@code direct}, an ok reply without a cursor goes back to the client as the shard's frame
     * came ({@link DirectReply}), and the future completes with {@link DirectReply#SENT}.
     */
    public static CompletableFuture<BsonDocument> forward(Exec exec, String shard, RouterRequest request, ChunkVersion version, String ns,
                                                          DirectReply direct) {
        byte[] body = BsonBytes.bytes(request.body());
        // The sections are an unpooled heap copy made when the request was read; the GC frees them.
        ByteBuf sections = request.rawSections() == null ? null : request.rawSections().duplicate();
        ShardGateway.Outbound message = new ShardGateway.Outbound(body, body.length, sections, version);
        Supplier<Intent> intent = () -> Intent.of(request.name(), request::value);
        CompletableFuture<ShardReply> sent = direct == null ? exec.gateway().send(shard, message, intent)
            : exec.gateway().sendKeepingFrame(shard, message, intent);
        return sent.thenApply(answer -> {
            ByteBuf frame = answer.frame();
            try {
                byte[] reply = answer.body();
                if (!BsonBytes.isOk(reply)) {
                    Replies.check(new RawBsonDocument(reply)); // throws the shard's error
                }
                long remote = BsonBytes.cursorId(reply);
                if (remote != 0) {
                    long id = exec.cursors().register(new RemoteCursor(ns, shard, answer.host(), remote, exec.gateway()));
                    BsonBytes.setCursorId(reply, id);
                } else if (frame != null && direct.write(frame)) {
                    frame = null; // the client's connection has it now
                    return DirectReply.SENT;
                }
                return new RawBsonDocument(reply);
            } finally {
                if (frame != null) {
                    frame.release();
                }
            }
        });
    }
}
