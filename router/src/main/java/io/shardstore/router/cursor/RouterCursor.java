package io.shardstore.router.cursor;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;

/** A cursor the router hands to a client: its id maps to shard cursors, or to results held here. */
public interface RouterCursor {

    String ns();

    /** The next batch; an empty list with {@link #exhausted()} true ends the cursor. */
    CompletableFuture<List<BsonDocument>> next(int batchSize);

    boolean exhausted();

    /** Releases shard-side cursors. */
    void kill();
}
