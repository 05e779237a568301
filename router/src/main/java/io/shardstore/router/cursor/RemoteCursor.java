package io.shardstore.router.cursor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.router.gateway.ShardGateway;

/**
 * A cursor open on exactly one shard, on the member that answered the first batch (a replica set's secondary
 * for a secondary read): getMore is forwarded to that member byte for byte, only the id is swapped.
 */
public final class RemoteCursor implements RouterCursor {
    private final String ns;
    private final String shard;
    private final String host;
    private volatile long remoteId;
    private final ShardGateway gateway;

    public RemoteCursor(String ns, String shard, String host, long remoteId, ShardGateway gateway) {
        this.ns = ns;
        this.shard = shard;
        this.host = host;
        this.remoteId = remoteId;
        this.gateway = gateway;
    }

    @Override
    public String ns() {
        return ns;
    }

    public String shard() {
        return shard;
    }

    /** The member holding the cursor. */
    public String host() {
        return host;
    }

    public long remoteId() {
        return remoteId;
    }

    public void exhaust() {
        remoteId = 0;
    }

    public BsonDocument getMoreCommand(Integer batchSize) {
        int dot = ns.indexOf('.');
        BsonDocument cmd = new BsonDocument("getMore", new BsonInt64(remoteId))
            .append("collection", new BsonString(ns.substring(dot + 1)));
        if (batchSize != null) {
            cmd.append("batchSize", new BsonInt32(batchSize));
        }
        return cmd.append("$db", new BsonString(ns.substring(0, dot)));
    }

    @Override
    public CompletableFuture<List<BsonDocument>> next(int batchSize) {
        if (remoteId == 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        return gateway.commandOn(host, getMoreCommand(batchSize)).thenApply(reply -> {
            BsonDocument cursor = reply.getDocument("cursor");
            remoteId = cursor.getInt64("id").getValue();
            List<BsonDocument> docs = new ArrayList<>();
            for (BsonValue v : cursor.getArray("nextBatch", new BsonArray())) {
                docs.add(v.asDocument());
            }
            return docs;
        });
    }

    @Override
    public boolean exhausted() {
        return remoteId == 0;
    }

    @Override
    public void kill() {
        if (remoteId != 0) {
            int dot = ns.indexOf('.');
            gateway.commandOn(host, new BsonDocument("killCursors", new BsonString(ns.substring(dot + 1)))
                .append("cursors", new BsonArray(List.of(new BsonInt64(remoteId))))
                .append("$db", new BsonString(ns.substring(0, dot))));
            remoteId = 0;
        }
    }
}
