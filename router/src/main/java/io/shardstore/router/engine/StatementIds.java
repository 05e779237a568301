package io.shardstore.router.engine;

import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

/**
 * The statement ids of a part of a client's retryable write. A shard records executed statements by session,
 * transaction number and statement id; without ids it would number each part from 0, so a second part sent to the
 * same shard under the client's transaction number would look like a retry of the first and not be applied. Each
 * statement keeps the id it has in the client's batch: its index, or the entry of the client's own
 * {@code stmtIds}, so a retry of the whole batch (through this router or another) finds the same ids.
 */
final class StatementIds {
    private StatementIds() {
    }

    /** Puts {@code stmtIds} for the statements at {@code indexes} of the client's batch into {@code part}, if retryable. */
    static void put(BsonDocument part, BsonDocument clientBody, List<Integer> indexes) {
        if (!clientBody.containsKey("txnNumber")) {
            return;
        }
        BsonValue sent = clientBody.get("stmtIds");
        BsonArray ids = new BsonArray();
        for (int i : indexes) {
            ids.add(sent != null && sent.isArray() ? sent.asArray().get(i) : new BsonInt32(i));
        }
        part.put("stmtIds", ids);
    }
}
