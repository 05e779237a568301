package io.shardstore.node.replication;

import java.time.Instant;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;

/** A position in the oplog: its timestamp (seconds << 32 | increment) and the term it was written in. */
public record OpTime(long ts, long term) implements Comparable<OpTime> {
    public static final OpTime NULL = new OpTime(0, -1);

    @Override
    public int compareTo(OpTime o) {
        int byTerm = Long.compare(term, o.term);
        return byTerm != 0 ? byTerm : Long.compareUnsigned(ts, o.ts);
    }

    public boolean atLeast(OpTime o) {
        return compareTo(o) >= 0;
    }

    public Document toDocument() {
        return new Document("ts", new BsonTimestamp(ts)).append("t", term);
    }

    public Instant wall() {
        return Instant.ofEpochSecond(ts >>> 32);
    }

    /** Reads {ts: Timestamp, t: long}; anything else is the null optime. */
    public static OpTime from(Object value) {
        if (value instanceof Document d && d.get("ts") instanceof BsonTimestamp ts) {
            return new OpTime(ts.getValue(), d.get("t") instanceof Number t ? t.longValue() : -1);
        }
        return NULL;
    }

    /** The optime of an oplog entry. */
    public static OpTime ofEntry(Document entry) {
        return new OpTime(((BsonTimestamp) entry.get("ts")).getValue(), ((Number) entry.get("t")).longValue());
    }
}
