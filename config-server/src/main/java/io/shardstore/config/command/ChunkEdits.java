package io.shardstore.config.command;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.sharding.Chunk;
import io.shardstore.sharding.ChunkVersion;

/** Writes chunk changes to config.chunks with MongoDB's version rules. */
public final class ChunkEdits {

    private ChunkEdits() {
    }

    /** Replaces {@code chunk} by two chunks split at {@code at}; both get new minor versions. */
    public static void split(ConfigCatalog catalog, BsonValue uuid, Chunk chunk, BsonDocument at, ChunkVersion collectionVersion) {
        BsonDocument doc = catalog.chunkDoc(uuid, chunk.min());
        catalog.deleteChunk(doc.get("_id"));
        List<BsonDocument> halves = new ArrayList<>();
        halves.add(chunkDoc(uuid, chunk.min(), at, chunk.shard(), collectionVersion.major(), collectionVersion.minor() + 1, doc));
        halves.add(chunkDoc(uuid, at, chunk.max(), chunk.shard(), collectionVersion.major(), collectionVersion.minor() + 2, doc));
        catalog.insertChunks(halves);
    }

    private static BsonDocument chunkDoc(BsonValue uuid, BsonDocument min, BsonDocument max, String shard, int major, int minor,
                                         BsonDocument from) {
        return new BsonDocument("_id", new BsonObjectId(new ObjectId()))
            .append("uuid", uuid)
            .append("min", min)
            .append("max", max)
            .append("shard", new BsonString(shard))
            .append("lastmod", new BsonTimestamp(major, minor))
            .append("onCurrentShardSince", from.get("onCurrentShardSince", new BsonTimestamp(0, 0)))
            .append("history", from.get("history", new BsonArray()));
    }

    /** Moves the chunk to {@code to} at a new major version; the source keeps a chunk with the next minor one. */
    static void commitMove(ConfigCatalog catalog, BsonValue uuid, Chunk chunk, String to, ChunkVersion collectionVersion,
                           List<Chunk> sourceChunksLeft) {
        int major = collectionVersion.major() + 1;
        int now = (int) (System.currentTimeMillis() / 1000);
        BsonDocument moved = catalog.chunkDoc(uuid, chunk.min());
        moved.put("shard", new BsonString(to));
        moved.put("lastmod", new BsonTimestamp(major, 0));
        moved.put("onCurrentShardSince", new BsonTimestamp(now, 1));
        BsonArray history = new BsonArray();
        history.add(new BsonDocument("validAfter", new BsonTimestamp(now, 1)).append("shard", new BsonString(to)));
        moved.put("history", history);
        catalog.replaceChunk(moved);
        if (!sourceChunksLeft.isEmpty()) {
            BsonDocument control = catalog.chunkDoc(uuid, sourceChunksLeft.get(0).min());
            control.put("lastmod", new BsonTimestamp(major, 1));
            catalog.replaceChunk(control);
        }
    }
}
