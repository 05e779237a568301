package io.shardstore.router.topology;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.router.gateway.ShardGateway;

/**
 * The views of databases whose primary shard is plain (issue 11). A shard node of ours tells the router that a read
 * names a view of a sharded collection (169 with the resolved view, which ViewRead reads); a plain shard (a mongod without
 * --shardsvr) cannot know that the collection is sharded and would read the view over its own documents only. So for
 * such a database the router lists the views itself (listCollections with {@code type: "view"} on the primary shard,
 * which every mongod answers) and resolves a read of a view down to its collection.
 * <p>
 * The list is kept for one second, and dropped at once when a view command (create, collMod, drop, dropDatabase,
 * renameCollection) passes through this router: a view made through another router over a sharded collection can be
 * read from the primary shard alone within that second (decision 0014).
 */
public final class PlainShardViews {
    private static final long TTL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private record Listed(long readAtNanos, Map<String, BsonDocument> views) {
    }

    private final Map<String, CompletableFuture<Listed>> byDb = new ConcurrentHashMap<>();

    /** After a catalog command on {@code db} through this router: its views are listed again on the next read. */
    public void invalidate(String db) {
        byDb.remove(db);
    }

    /**
     * {@code {ns, pipeline}} of the view {@code coll} resolved down to its collection (views on views included), or
     * null when {@code coll} is not a view of {@code db}, whose primary shard is {@code primary}.
     */
    public CompletableFuture<BsonDocument> resolve(ShardGateway gateway, String db, String coll, String primary) {
        return views(gateway, db, primary).thenApply(views -> {
            if (!views.containsKey(coll)) {
                return null;
            }
            BsonArray pipeline = new BsonArray();
            String current = coll;
            // Outermost view last: its collection's pipeline runs first. mongod allows 20 levels; a cycle cannot be made.
            for (int depth = 0; views.containsKey(current) && depth <= 20; depth++) {
                BsonDocument options = views.get(current);
                BsonArray own = options.getArray("pipeline", new BsonArray());
                BsonArray joined = new BsonArray();
                joined.addAll(own);
                joined.addAll(pipeline);
                pipeline = joined;
                current = options.getString("viewOn").getValue();
            }
            return new BsonDocument("ns", new BsonString(db + "." + current)).append("pipeline", pipeline);
        });
    }

    private CompletableFuture<Map<String, BsonDocument>> views(ShardGateway gateway, String db, String primary) {
        CompletableFuture<Listed> cached = byDb.get(db);
        if (cached != null && (!cached.isDone() || (!cached.isCompletedExceptionally()
            && System.nanoTime() - cached.join().readAtNanos() < TTL_NANOS))) {
            return cached.thenApply(Listed::views);
        }
        BsonDocument listCollections = new BsonDocument("listCollections", new BsonInt32(1))
            .append("filter", new BsonDocument("type", new BsonString("view")))
            .append("cursor", new BsonDocument("batchSize", new BsonInt32(100_000)))
            .append("$db", new BsonString(db));
        long at = System.nanoTime();
        CompletableFuture<Listed> read = gateway.command(primary, listCollections).thenApply(reply -> {
            Map<String, BsonDocument> views = new HashMap<>();
            BsonDocument cursor = reply.getDocument("cursor", new BsonDocument());
            for (BsonValue entry : cursor.getArray("firstBatch", new BsonArray())) {
                BsonDocument e = entry.asDocument();
                if (e.isString("name") && e.isDocument("options") && e.getDocument("options").isString("viewOn")) {
                    views.put(e.getString("name").getValue(), e.getDocument("options"));
                }
            }
            return new Listed(at, Map.copyOf(views));
        });
        byDb.put(db, read);
        return read.thenApply(Listed::views);
    }
}
