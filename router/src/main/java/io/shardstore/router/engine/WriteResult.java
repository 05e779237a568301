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
