package io.shardstore.router.command.data;

import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.Replies;
import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.cursor.RemoteCursor;
import io.shardstore.router.cursor.RouterCursor;
import io.shardstore.router.engine.BsonBytes;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.frontend.RouterRequest;

/**
 * getMore on a router cursor: a single-shard cursor's getMore is forwarded with the shard's cursor id
 * and the reply returned as it came (id swapped back); a merged cursor produces its next batch here.
 */
public final class GetMoreCommand implements RouterCommand {
    private static final int DEFAULT_BATCH = 1000;

    @Override
    public String name() {
        return "getMore";
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        BsonValue idValue = request.body().get("getMore");
        if (idValue == null || !idValue.isInt64()) {
            throw new RouterError(ErrorCode.TypeMismatch, "BSON field 'getMore.getMore' is the wrong type, expected type 'long'");
        }
        long id = idValue.asInt64().getValue();
        RouterCursor cursor = exec.cursors().get(id);
        if (cursor == null) {
            throw new RouterError(ErrorCode.CursorNotFound, "cursor id " + id + " not found");
        }
        Integer batchSize = request.body().isNumber("batchSize") ? request.body().getNumber("batchSize").intValue() : null;
        if (batchSize != null && batchSize <= 0) {
            throw new RouterError(ErrorCode.BadValue, "batchSize must be greater than 0 for getMore, was " + batchSize);
        }
        if (cursor instanceof RemoteCursor remote) {
            BsonDocument cmd = remote.getMoreCommand(batchSize);
            return exec.gateway().sendOn(remote.host(), io.shardstore.router.gateway.ShardGateway.Outbound.of(
                new RawBsonDocument(cmd, new org.bson.codecs.BsonDocumentCodec()))).thenApply(reply -> {
                    RawBsonDocument doc = new RawBsonDocument(reply);
                    if (!Replies.isOk(doc)) {
                        exec.cursors().remove(id);
                        throw RouterError.fromReply(doc);
                    }
                    if (BsonBytes.cursorId(reply) == 0) {
                        remote.exhaust();
                        exec.cursors().remove(id);
                    } else {
                        BsonBytes.setCursorId(reply, id);
                    }
                    return doc;
                });
        }
        return cursor.next(batchSize != null && batchSize > 0 ? batchSize : DEFAULT_BATCH).thenApply(batch -> {
            boolean done = cursor.exhausted();
            if (done) {
                exec.cursors().remove(id);
            }
            return Replies.cursor(cursor.ns(), done ? 0 : id, batch, false);
        });
    }
}
