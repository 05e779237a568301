package io.shardstore.router.command;

import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

/** Reply shapes the router builds itself. */
public final class Replies {

    private Replies() {
    }

    public static BsonDocument ok() {
        return new BsonDocument("ok", new BsonDouble(1.0));
    }

    public static boolean isOk(BsonDocument reply) {
        BsonValue ok = reply.get("ok");
        return ok != null && ok.isNumber() && ok.asNumber().doubleValue() == 1.0;
    }

    /** Throws the shard's error when its reply is not ok. */
    public static BsonDocument check(BsonDocument reply) {
        if (!isOk(reply)) {
            throw RouterError.fromReply(reply);
        }
        return reply;
    }

    public static BsonDocument cursor(String ns, long id, List<BsonDocument> batch, boolean first) {
        return new BsonDocument("cursor", new BsonDocument(first ? "firstBatch" : "nextBatch", new BsonArray(List.copyOf(batch)))
            .append("id", new BsonInt64(id)).append("ns", new BsonString(ns))).append("ok", new BsonDouble(1.0));
    }
}
