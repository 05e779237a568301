package io.shardstore.config.command;

import org.bson.BsonDocument;

import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.sharding.Chunk;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.KeyOrder;
import io.shardstore.sharding.ShardKeyPattern;

/** Finds the chunk a split or migration names: by a document ({@code find}) or by its exact {@code bounds}. */
final class ChunkLookup {

    private ChunkLookup() {
    }

    static Chunk byFindOrBounds(ChunkMap map, BsonDocument body, String ns) {
        if (body.isDocument("find")) {
            BsonDocument doc = body.getDocument("find");
            String missing = map.keyPattern().firstMissingField(doc);
            if (missing != null) {
                throw Errors.of(ErrorCode.ShardKeyNotFound, "the 'find' document must hold the shard key " + map.keyPattern());
            }
            return map.chunkFor(map.keyPattern().keyOf(doc));
        }
        if (body.isArray("bounds") && body.getArray("bounds").size() == 2) {
            BsonDocument min = body.getArray("bounds").get(0).asDocument();
            BsonDocument max = body.getArray("bounds").get(1).asDocument();
            return exact(map, min, max, ns);
        }
        if (body.isDocument("min")) {
            Chunk c = map.chunkFor(body.getDocument("min"));
            if (KeyOrder.INSTANCE.compare(c.min(), body.getDocument("min")) != 0) {
                throw Errors.of(ErrorCode.BadValue, "no chunk of " + ns + " starts at " + body.getDocument("min").toJson());
            }
            return c;
        }
        throw Errors.of(ErrorCode.BadValue, "need 'find', 'bounds' or 'min' to name a chunk of " + ns);
    }

    static Chunk exact(ChunkMap map, BsonDocument min, BsonDocument max, String ns) {
        Chunk c = map.chunkFor(min);
        if (KeyOrder.INSTANCE.compare(c.min(), min) != 0 || KeyOrder.INSTANCE.compare(c.max(), max) != 0) {
            throw Errors.of(ErrorCode.BadValue, "no chunk of " + ns + " has bounds [" + min.toJson() + ", " + max.toJson() + ")");
        }
        return c;
    }

    /** A key shaped like the pattern from a user's {@code middle} document (already in hash space for hashed keys). */
    static BsonDocument keyFromBounds(ShardKeyPattern pattern, BsonDocument given) {
        BsonDocument key = new BsonDocument();
        for (String f : pattern.fields()) {
            if (!given.containsKey(f)) {
                throw Errors.of(ErrorCode.ShardKeyNotFound, "split point must hold every shard-key field: " + pattern);
            }
            key.append(f, given.get(f));
        }
        return key;
    }
}
