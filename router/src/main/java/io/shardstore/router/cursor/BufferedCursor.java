package io.shardstore.router.cursor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;

/** Results computed whole at the router (after an aggregation's merge), served batch by batch. */
public final class BufferedCursor implements RouterCursor {
    private final String ns;
    private final List<BsonDocument> results;
    private int position;

    public BufferedCursor(String ns, List<BsonDocument> results) {
        this.ns = ns;
        this.results = results;
    }

    @Override
    public String ns() {
        return ns;
    }

    @Override
    public synchronized CompletableFuture<List<BsonDocument>> next(int batchSize) {
        int end = Math.min(results.size(), position + batchSize);
        List<BsonDocument> batch = new ArrayList<>(results.subList(position, end));
        position = end;
        return CompletableFuture.completedFuture(batch);
    }

    @Override
    public synchronized boolean exhausted() {
        return position >= results.size();
    }

    @Override
    public void kill() {
    }
}
