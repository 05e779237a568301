package io.shardstore.router.engine;

import java.util.Map;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * The statement ids of a write placed by finding its document first ({@link WithoutShardKey},
 * {@link FindAndModifyWithoutShardKey}): attempt k of the client's statement s is statement s + k * STRIDE, so an
 * attempt that matched nothing (the document changed in between) never blocks the next one, and the shards' records
 * ({@code _shardsvrRetryableStatus}) say which attempt, if any, wrote a document.
 */
final class RetryAttempts {
    static final int ATTEMPTS = 5;
    /** Clients number statements from 0 by batch index, far below this. */
    static final int STRIDE = 1 << 24;

    /** What the shards' records say: a shard that executed an attempt writing a document, or the next attempt. */
    record Decision(String recordedShard, int recordedStmtId, int nextAttempt) {
    }

    private RetryAttempts() {
    }

    static int stmtId(int clientStmtId, int attempt) {
        return clientStmtId + attempt * STRIDE;
    }

    /** The status request for every attempt's id of the statement. */
    static BsonDocument statusCommand(BsonValue lsid, BsonValue txnNumber, int clientStmtId) {
        BsonArray ids = new BsonArray();
        for (int k = 0; k < ATTEMPTS; k++) {
            ids.add(new BsonInt32(stmtId(clientStmtId, k)));
        }
        return new BsonDocument("_shardsvrRetryableStatus", new BsonInt32(1)).append("lsid", lsid)
            .append("txnNumber", txnNumber).append("stmtIds", ids).append("$db", new BsonString("admin"));
    }

    /**
     * The shards to ask for their records: a plain shard (a real mongod) has no {@code _shardsvrRetryableStatus}, so it
     * is not asked, and an attempt it executed is not known to the router (decision 0014; issue 11's limit).
     */
    static java.util.Set<String> recording(Exec exec, java.util.Set<String> shards) {
        if (shards.stream().noneMatch(exec.catalog()::isPlain)) {
            return shards;
        }
        java.util.Set<String> out = new java.util.TreeSet<>(shards);
        out.removeIf(exec.catalog()::isPlain);
        return out;
    }

    static Decision decide(Map<String, BsonDocument> statuses, int clientStmtId) {
        int next = 0;
        for (var entry : statuses.entrySet()) {
            for (BsonValue e : entry.getValue().getArray("executed", new BsonArray())) {
                BsonDocument done = e.asDocument();
                int stmtId = done.getInt32("stmtId").getValue();
                if (done.getNumber("n").intValue() > 0) {
                    return new Decision(entry.getKey(), stmtId, -1);
                }
                next = Math.max(next, (stmtId - clientStmtId) / STRIDE + 1);
            }
        }
        return new Decision(null, -1, next);
    }
}
