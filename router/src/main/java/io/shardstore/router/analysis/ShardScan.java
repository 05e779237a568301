package io.shardstore.router.analysis;

import java.util.function.Consumer;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.router.command.Replies;
import io.shardstore.router.gateway.ShardGateway;
import io.shardstore.router.gateway.ShardReply;

/**
 * Reads a collection's documents on one shard in its record order (a find without sort, then getMores on the member
 * that holds the cursor), handing each to a consumer. Blocking: for the analysis threads, never an event loop.
 */
final class ShardScan {
    private static final int BATCH = 10_000;

    private ShardScan() {
    }

    static void scan(ShardGateway gateway, String shard, String db, String coll, BsonDocument projection,
                     Consumer<BsonDocument> each) {
        scan(gateway, shard, db, coll, new BsonDocument(), projection, each);
    }

    /** The documents matching {@code filter}. */
    static void scan(ShardGateway gateway, String shard, String db, String coll, BsonDocument filter, BsonDocument projection,
                     Consumer<BsonDocument> each) {
        BsonDocument find = new BsonDocument("find", new BsonString(coll)).append("filter", filter)
            .append("batchSize", new BsonInt32(BATCH)).append("$db", new BsonString(db));
        if (projection != null) {
            find.append("projection", projection);
        }
        ShardReply first = gateway.call(shard, find).join();
        BsonDocument reply = Replies.check(new org.bson.RawBsonDocument(first.body()));
        BsonDocument cursor = reply.getDocument("cursor");
        batch(cursor.getArray("firstBatch"), each);
        long id = cursor.getNumber("id").longValue();
        while (id != 0) {
            BsonDocument more = new BsonDocument("getMore", new BsonInt64(id)).append("collection", new BsonString(coll))
                .append("batchSize", new BsonInt32(BATCH)).append("$db", new BsonString(db));
            BsonDocument next = Replies.check(gateway.commandOn(first.host(), more).join());
            cursor = next.getDocument("cursor");
            batch(cursor.getArray("nextBatch"), each);
            id = cursor.getNumber("id").longValue();
        }
    }

    private static void batch(BsonArray docs, Consumer<BsonDocument> each) {
        for (BsonValue d : docs) {
            each.accept(d.asDocument());
        }
    }
}
