package io.shardstore.node.storage;

import java.util.concurrent.CompletableFuture;

import de.bwaldvogel.mongo.bson.Document;

/**
 * Where the effects of writes go so they survive a restart. {@link #IN_MEMORY} is the null object used
 * without {@code --dbpath}, so callers never ask whether durability is on.
 */
public interface Durability extends AutoCloseable {

    /** Records one effect (see {@link JournalRecords}); called on the storage thread. */
    void record(Document effect);

    /** Completes when everything recorded so far is on disk. */
    CompletableFuture<Void> flushed();

    @Override
    void close();

    Durability IN_MEMORY = new Durability() {
        @Override
        public void record(Document effect) {
        }

        @Override
        public CompletableFuture<Void> flushed() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
        }
    };
}
