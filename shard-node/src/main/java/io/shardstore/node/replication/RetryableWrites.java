package io.shardstore.node.replication;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import de.bwaldvogel.mongo.bson.Document;

/**
 * Retryable writes: the reply of every successful write sent with {@code lsid} + {@code txnNumber}, by session and
 * transaction number. The primary logs each one in the oplog (an "n" entry carrying lsid, txnNumber and the reply),
 * so every member knows it; a write retried with the same pair (after a failover, on any new primary) gets the
 * recorded reply and is not applied again. Kept in memory, not expired yet.
 */
public final class RetryableWrites {
    private record Key(Object sessionId, long txnNumber) {
    }

    /** Errors after which a driver may retry a write elsewhere (HostUnreachable ... NotPrimaryOrSecondary). */
    private static final Set<Integer> RETRYABLE_CODES = Set.of(6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436);

    private final Map<Key, Document> replies = new ConcurrentHashMap<>();

    /**
     * Labels a retryable write's reply whose write concern error is retryable (a step-down while it waited for
     * "majority": PrimarySteppedDown 189), as mongod 4.4+ does: drivers retry on the label only, so without it the
     * write failed for the application although the next primary would have answered it.
     */
    public static void labelRetryableWriteConcernError(Document reply) {
        if (reply.get("writeConcernError") instanceof Document wce && wce.get("code") instanceof Number code
            && RETRYABLE_CODES.contains(code.intValue()) && !reply.containsKey("errorLabels")) {
            reply.put("errorLabels", List.of("RetryableWriteError"));
        }
    }

    /** The key of a retryable write, or null when the request is not one. */
    public static Object keyOf(Document body) {
        if (body.get("lsid") instanceof Document lsid && lsid.get("id") != null && body.get("txnNumber") instanceof Number txn) {
            return new Key(lsid.get("id"), txn.longValue());
        }
        return null;
    }

    /** The recorded reply of that write, or null. */
    public Document replyOf(Object key) {
        Document reply = key == null ? null : replies.get((Key) key);
        return reply == null ? null : reply.cloneDeeply();
    }

    void remember(Object key, Document reply) {
        replies.put((Key) key, reply);
    }

    /** The oplog entry body ("o" of an "n" entry) that records a write's reply. */
    static Document entryBody(Document body, Document reply) {
        Document lsid = (Document) body.get("lsid");
        return new Document("msg", "retryable write").append("lsid", new Document("id", lsid.get("id")))
            .append("txnNumber", ((Number) body.get("txnNumber")).longValue()).append("reply", reply);
    }

    /** On a member applying an "n" entry: remembers the reply if the entry records one. */
    void applied(Document o) {
        if (o.get("lsid") instanceof Document lsid && o.get("txnNumber") instanceof Number txn && o.get("reply") instanceof Document reply) {
            replies.put(new Key(lsid.get("id"), txn.longValue()), reply);
        }
    }
}
