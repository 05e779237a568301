package io.shardstore.router.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

/**
 * A retryable write whose statement failed because its shard's primary went away (HostUnreachable, NotWritablePrimary,
 * PrimarySteppedDown...) is answered with that error top-level and labelled RetryableWriteError, as mongos does: the
 * statement may have been applied before the shard went away. As a write error (which drivers never retry) the client
 * was told "failed" for an insert that was stored (found by the fault test: "insert reported failed was applied").
 */
class WriteResultTest {

    private static BsonDocument shardReply(int n) {
        return new BsonDocument("n", new BsonInt32(n)).append("ok", new BsonInt32(1));
    }

    @Test
    void aTransientStatementErrorOfARetryableWriteIsATopLevelRetryableError() {
        WriteResult result = new WriteResult();
        result.add(shardReply(1), List.of(0));
        result.error(1, 6, "HostUnreachable", "shard host unreachable: connection closed");
        BsonDocument reply = result.reply(true);
        assertEquals(0, reply.getNumber("ok").intValue(), reply.toJson());
        assertEquals(6, reply.getNumber("code").intValue());
        assertEquals(new BsonArray(List.of(new BsonString("RetryableWriteError"))), reply.getArray("errorLabels"));
    }

    @Test
    void otherwiseStatementErrorsStayWriteErrors() {
        WriteResult definite = new WriteResult();
        definite.add(shardReply(1), List.of(0));
        definite.error(1, 11000, "DuplicateKey", "E11000 duplicate key");
        BsonDocument reply = definite.reply(true);
        assertEquals(1, reply.getNumber("ok").intValue());
        assertEquals(11000, reply.getArray("writeErrors").get(0).asDocument().getNumber("code").intValue());

        // Not a retryable write (no txnNumber), or shards that keep no records of one: the client cannot retry safely.
        WriteResult transientError = new WriteResult();
        transientError.error(0, 10107, "NotWritablePrimary", "not primary");
        BsonDocument plain = transientError.reply(false);
        assertEquals(1, plain.getNumber("ok").intValue());
        assertFalse(plain.containsKey("errorLabels"));
    }

    @Test
    void aRetryableWriteConcernErrorIsLabelled() {
        WriteResult result = new WriteResult();
        result.add(shardReply(1).append("writeConcernError", new BsonDocument("code", new BsonInt32(189))
            .append("errmsg", new BsonString("primary stepped down while waiting for replication"))), List.of(0));
        BsonDocument reply = result.reply(true);
        assertEquals(1, reply.getNumber("ok").intValue());
        assertEquals("RetryableWriteError", reply.getArray("errorLabels").get(0).asString().getValue());
        assertEquals("RetryableWriteError", reply.getDocument("writeConcernError").getArray("errorLabels").get(0).asString().getValue(),
            "pymongo 3.x reads a write concern error's labels inside it");
    }
}
