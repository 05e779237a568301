package io.shardstore.node.replication;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;

/**
 * find on local.oplog.rs, served from the member's {@link OplogStore}: a filter on ts ($gt / $gte, or none), in ts
 * order or newest first with {@code sort: {$natural: -1}}, one batch: cursor id 0, or with {@code tailable: true} an
 * {@link OplogCursors} cursor that {@link OplogGetMore} goes on with (holding getMore for new entries with awaitData).
 * The sync source side of a secondary's pull; also what a user sees of the oplog. Not yet: other filters.
 */
public final class OplogFind {
    private static final int DEFAULT_LIMIT = 1000;

    private OplogFind() {
    }

    public static Document run(ReplicationCoordinator repl, Document body) {
        long from = 0;
        boolean inclusive = true;
        if (body.get("filter") instanceof Document filter && filter.get("ts") instanceof Document ts) {
            if (ts.get("$gt") instanceof BsonTimestamp gt) {
                from = gt.getValue();
                inclusive = false;
            } else if (ts.get("$gte") instanceof BsonTimestamp gte) {
                from = gte.getValue();
            }
        }
        int limit = DEFAULT_LIMIT;
        for (String key : new String[] {"batchSize", "limit"}) {
            if (body.get(key) instanceof Number n && n.intValue() > 0) {
                limit = Math.min(limit, n.intValue());
            }
        }
        List<Document> batch = new ArrayList<>();
        if (body.get("sort") instanceof Document sort && sort.get("$natural") instanceof Number n && n.intValue() < 0) {
            for (Document e : repl.oplog().descendingFrom(-1L)) { // newest first (-1 is the largest unsigned ts)
                if (batch.size() >= limit || Long.compareUnsigned(OplogStore.tsOf(e), from) < (inclusive ? 0 : 1)) {
                    break;
                }
                batch.add(e);
            }
        } else {
            batch.addAll(repl.oplog().after(from, inclusive, limit));
        }
        long id = 0;
        if (Boolean.TRUE.equals(body.get("tailable")) && !(body.get("sort") instanceof Document)) {
            // A tailable cursor stays open even when empty: it goes on after the last entry returned.
            OplogCursors.Tail tail = batch.isEmpty() ? new OplogCursors.Tail(from, inclusive, Boolean.TRUE.equals(body.get("awaitData")))
                : new OplogCursors.Tail(OplogStore.tsOf(batch.get(batch.size() - 1)), false, Boolean.TRUE.equals(body.get("awaitData")));
            id = repl.oplogCursors().open(tail);
        }
        return new Document("cursor", new Document("firstBatch", batch).append("id", id).append("ns", "local.oplog.rs"))
            .append("ok", 1.0);
    }
}
