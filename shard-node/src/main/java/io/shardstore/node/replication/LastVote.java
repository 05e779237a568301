package io.shardstore.node.replication;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.storage.StorageEngine;

/**
 * The vote this member last cast, kept as MongoDB keeps it: one document in {@code local.replset.election}
 * ({@code term}, {@code candidateIndex}; here also the candidate's member {@code _id}). It is written, and with
 * {@code --dbpath} fsynced by the journal, before a vote is answered or a candidate asks for votes, so a member
 * that restarts never votes twice in one term and comes back at least at that term.
 *
 * @param memberId the _id of the member voted for (-1: none)
 */
public record LastVote(long term, int candidateIndex, int memberId) {
    static final String NS = "local.replset.election";
    private static final String ID = "lastVote";

    public static final LastVote NONE = new LastVote(-1, -1, -1);

    Document toDocument() {
        return new Document("_id", ID).append("term", term).append("candidateIndex", candidateIndex).append("memberId", memberId);
    }

    /** The stored vote (storage thread), or {@link #NONE}. */
    static LastVote load(StorageEngine storage) {
        Document d = storage.findById(NS, ID);
        if (d == null || !(d.get("term") instanceof Number t)) {
            return NONE;
        }
        int index = d.get("candidateIndex") instanceof Number i ? i.intValue() : -1;
        int member = d.get("memberId") instanceof Number m ? m.intValue() : -1;
        return new LastVote(t.longValue(), index, member);
    }

    /**
     * Stores this vote and completes once it is durable (journal fsync with --dbpath, at once in memory). Never
     * called with the coordinator's monitor held: it waits for the storage thread.
     */
    CompletableFuture<Void> store(StorageEngine storage) {
        Document doc = toDocument();
        return storage.submit(() -> {
            if (load(storage).term() > term) {
                return storage.flushed(); // a later vote was stored first
            }
            storage.runAsSystem("local", "update", new Document("update", "replset.election").append("updates",
                List.of(new Document("q", new Document("_id", ID)).append("u", doc).append("upsert", true))));
            return storage.flushed();
        }).thenCompose(flushed -> flushed);
    }
}
