package io.shardstore.node.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.shardstore.protocol.ErrorCode;

/**
 * Retryable writes, statement by statement: for each session, the newest transaction number it used and the
 * result of every statement of that write executed here, by statement id (the statement's index in the client's
 * batch, or the {@code stmtIds} a router sent with a part of it). A statement retried with the same session,
 * transaction number and statement id gets its recorded result and is not applied again; a statement without a
 * record is applied. So two parts of one client batch sent to this shard under the same transaction number are
 * never taken for retries of each other, and a whole batch retried after a partial failure applies only what is
 * missing. The primary logs the records in the oplog ("n" entries), so every member has them after a failover.
 * As mongod keeps one {@code config.transactions} entry per session, only the newest transaction number of a
 * session is kept; an older one is refused ({@code TransactionTooOld}, 225). Not expired yet.
 */
public final class RetryableWrites {
    /** A retryable write: the session's id and the transaction number. */
    public record Key(Object sessionId, long txnNumber) {
    }

    private record Session(long txnNumber, Map<Integer, Document> statements) {
    }

    private static final Set<Integer> RETRYABLE_CODES = ErrorCode.RETRYABLE_WRITE_CODES;

    private final Map<Object, Session> sessions = new ConcurrentHashMap<>();

    /**
     * Labels a retryable write's reply whose write concern error is retryable (a step-down while it waited for
     * "majority": PrimarySteppedDown 189), as mongod 4.4+ does: drivers retry on the label only, so without it the
     * write failed for the application although the next primary would have answered it. The drivers' own tests
     * (failCommand with a writeConcernError) put the label inside the write concern error, and some drivers read it
     * only there: it goes in both places.
     */
    public static void labelRetryableWriteConcernError(Document reply) {
        if (reply.get("writeConcernError") instanceof Document wce && wce.get("code") instanceof Number code
            && RETRYABLE_CODES.contains(code.intValue())) {
            if (!reply.containsKey("errorLabels")) {
                reply.put("errorLabels", List.of("RetryableWriteError"));
            }
            // Also inside the write concern error, where pymongo 3.x (Debian's python3-pymongo) reads a write concern
            // error's labels: with the top-level label only, it did not retry and the application got the error.
            wce.putIfAbsent("errorLabels", List.of("RetryableWriteError"));
        }
    }

    /** The key of a retryable write, or null when the request is not one. */
    public static Key keyOf(Document body) {
        if (body.get("lsid") instanceof Document lsid && lsid.get("id") != null && body.get("txnNumber") instanceof Number txn) {
            return new Key(lsid.get("id"), txn.longValue());
        }
        return null;
    }

    /** Refuses a transaction number older than the newest one this session used here. */
    public void checkNotTooOld(Key key) {
        Session session = sessions.get(key.sessionId());
        if (session != null && session.txnNumber() > key.txnNumber()) {
            throw new MongoServerError(ErrorCode.TransactionTooOld.code(), ErrorCode.TransactionTooOld.codeName(),
                "Retryable write with txnNumber " + key.txnNumber() + " is prohibited on session " + key.sessionId()
                    + " because a newer retryable write with txnNumber " + session.txnNumber() + " has already started on this session.");
        }
    }

    /** The recorded result of statement {@code stmtId} of that write, or null when it was not executed here. */
    public Document statement(Key key, int stmtId) {
        Session session = sessions.get(key.sessionId());
        if (session == null || session.txnNumber() != key.txnNumber()) {
            return null;
        }
        Document result = session.statements().get(stmtId);
        return result == null ? null : result.cloneDeeply();
    }

    /** Records executed statements (their id in each result's "stmtId"); a newer transaction number replaces the older. */
    void remember(Key key, List<Document> results) {
        Session session = sessions.compute(key.sessionId(), (id, old) ->
            old == null || old.txnNumber() < key.txnNumber() ? new Session(key.txnNumber(), new ConcurrentHashMap<>()) : old);
        if (session.txnNumber() != key.txnNumber()) {
            return; // an older write's record arriving late (applied from the oplog): the session has moved on
        }
        for (Document result : results) {
            session.statements().put(((Number) result.get("stmtId")).intValue(), result);
        }
    }

    /** The oplog entry body ("o" of an "n" entry) that records executed statements. */
    static Document entryBody(Key key, List<Document> results) {
        return new Document("msg", "retryable write").append("lsid", new Document("id", key.sessionId()))
            .append("txnNumber", key.txnNumber()).append("stmts", new ArrayList<>(results));
    }

    /** On a member rolling back an "n" entry: forgets the statements it recorded (they were undone with it). */
    void forget(Document o) {
        if (o.get("lsid") instanceof Document lsid && o.get("txnNumber") instanceof Number txn && o.get("stmts") instanceof List<?> stmts) {
            Session session = sessions.get(lsid.get("id"));
            if (session != null && session.txnNumber() == txn.longValue()) {
                for (Object s : stmts) {
                    if (s instanceof Document d && d.get("stmtId") instanceof Number id) {
                        session.statements().remove(id.intValue());
                    }
                }
            }
        }
    }

    /** On a member applying an "n" entry: remembers the statements if the entry records some. */
    void applied(Document o) {
        if (o.get("lsid") instanceof Document lsid && o.get("txnNumber") instanceof Number txn && o.get("stmts") instanceof List<?> stmts) {
            List<Document> results = new ArrayList<>();
            stmts.forEach(s -> results.add((Document) s));
            remember(new Key(lsid.get("id"), txn.longValue()), results);
        }
    }
}
