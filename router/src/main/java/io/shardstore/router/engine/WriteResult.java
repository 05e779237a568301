package io.shardstore.router.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.protocol.ErrorCode;

/**
 * Accumulates the replies of a write split over shards into one reply, with writeErrors indexed as the client
 * sent them. Synchronized: an unordered split hears from several shards at once.
 */
final class WriteResult {
    long n;
    long nModified;
    boolean countsModified;
    final List<BsonDocument> upserted = new ArrayList<>();
    final List<BsonDocument> writeErrors = new ArrayList<>();
    BsonDocument writeConcernError;

    /** Adds a shard's reply for the statements whose client indexes are {@code indexes} (in shard order). */
    synchronized void add(BsonDocument reply, List<Integer> indexes) {
        n += reply.isNumber("n") ? reply.getNumber("n").longValue() : 0;
        if (reply.isNumber("nModified")) {
            countsModified = true;
            nModified += reply.getNumber("nModified").longValue();
        }
        for (BsonValue u : reply.getArray("upserted", new BsonArray())) {
            BsonDocument d = Docs.copy(u.asDocument());
            d.put("index", new BsonInt32(indexes.get(d.getNumber("index").intValue())));
            upserted.add(d);
        }
        for (BsonValue e : reply.getArray("writeErrors", new BsonArray())) {
            BsonDocument d = Docs.copy(e.asDocument());
            d.put("index", new BsonInt32(indexes.get(d.getNumber("index").intValue())));
            writeErrors.add(d);
        }
        if (reply.isDocument("writeConcernError")) {
            writeConcernError = reply.getDocument("writeConcernError");
        }
    }

    synchronized void error(int index, int code, String codeName, String message) {
        writeErrors.add(new BsonDocument("index", new BsonInt32(index)).append("code", new BsonInt32(code))
            .append("codeName", new BsonString(codeName)).append("errmsg", new BsonString(message)));
    }

    /** The lowest client index that failed, or -1. */
    synchronized int firstError() {
        return writeErrors.stream().mapToInt(d -> d.getNumber("index").intValue()).min().orElse(-1);
    }

    /**
     * The client's reply. For a retryable write (the client sent a txnNumber), a statement that failed with an error
     * after which the write may be retried (a shard primary killed or stepping down while it ran: HostUnreachable,
     * NotWritablePrimary, PrimarySteppedDown...) makes the whole reply that error, top-level and labelled
     * RetryableWriteError, as mongos answers: the statement may have been applied before the shard went away, so it is
     * not a failure the client may count on, and drivers retry only top-level errors; the retry, with the same
     * txnNumber, applies each statement once (the shards' records answer those already applied: {@code retryable} is
     * true only when every shard keeps such records, i.e. is a replica set). A retryable write concern error gets the
     * label too, top-level and inside the write concern error (where pymongo 3.x looks for it).
     */
    synchronized BsonDocument reply(boolean retryable) {
        if (retryable) {
            BsonDocument transientError = writeErrors.stream()
                .filter(d -> d.isNumber("code") && ErrorCode.RETRYABLE_WRITE_CODES.contains(d.getNumber("code").intValue()))
                .min(Comparator.comparingInt(d -> d.getNumber("index").intValue())).orElse(null);
            if (transientError != null) {
                return new BsonDocument("ok", new BsonDouble(0)).append("errmsg", transientError.get("errmsg", new BsonString("")))
                    .append("code", transientError.get("code")).append("codeName", transientError.get("codeName", new BsonString("")))
                    .append("errorLabels", new BsonArray(List.of(new BsonString("RetryableWriteError"))));
            }
        }
        BsonDocument r = reply();
        if (retryable && writeConcernError != null && writeConcernError.isNumber("code")
            && ErrorCode.RETRYABLE_WRITE_CODES.contains(writeConcernError.getNumber("code").intValue())) {
            r.append("errorLabels", new BsonArray(List.of(new BsonString("RetryableWriteError"))));
            if (!writeConcernError.containsKey("errorLabels")) {
                // Inside the write concern error too: pymongo 3.x reads a write concern error's labels only there.
                r.put("writeConcernError", writeConcernError.clone()
                    .append("errorLabels", new BsonArray(List.of(new BsonString("RetryableWriteError")))));
            }
        }
        return r;
    }

    synchronized BsonDocument reply() {
        BsonDocument r = new BsonDocument("n", new BsonInt32((int) n));
        if (countsModified) {
            r.append("nModified", new BsonInt32((int) nModified));
        }
        if (!upserted.isEmpty()) {
            upserted.sort(Comparator.comparingInt(d -> d.getNumber("index").intValue()));
            r.append("upserted", new BsonArray(new ArrayList<BsonValue>(upserted)));
        }
        if (!writeErrors.isEmpty()) {
            writeErrors.sort(Comparator.comparingInt(d -> d.getNumber("index").intValue()));
            r.append("writeErrors", new BsonArray(new ArrayList<BsonValue>(writeErrors)));
        }
        if (writeConcernError != null) {
            r.append("writeConcernError", writeConcernError);
        }
        return r.append("ok", new BsonDouble(1.0));
    }
}
