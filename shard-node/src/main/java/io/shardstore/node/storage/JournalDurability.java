package io.shardstore.node.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

import de.bwaldvogel.mongo.bson.Document;

/** Durability by the write-ahead {@link Journal}: effects are encoded here and group-committed by its writer. */
final class JournalDurability implements Durability {
    private final Journal journal;

    JournalDurability(Journal journal) {
        this.journal = journal;
    }

    @Override
    public void record(Document effect) {
        journal.append(JournalRecords.encode(effect));
    }

    @Override
    public CompletableFuture<Void> flushed() {
        return journal.whenDurable(journal.lastSequence());
    }

    @Override
    public void close() {
        try {
            journal.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
