package io.shardstore.router.gateway;

import java.util.Set;
import java.util.function.Function;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import com.mongodb.ReadPreference;

/**
 * Where a command may run in a replica-set shard and whether the gateway may send it again after a failover.
 * Reads follow the client's {@code $readPreference}; everything else goes to the primary. A command may be
 * resent after an ambiguous failure (the connection dropped after it was sent, or the primary stepped down
 * while it ran) only when running it twice is harmless: a read, or a retryable write whose {@code lsid} and
 * {@code txnNumber} let the shard recognise the second attempt. Refusals that mean "not run at all" (not
 * primary) are always safe to resend. A client's {@code maxTimeMS} also bounds the wait for a member.
 */
public record Intent(ReadPreference readPreference, boolean resendable, long maxTimeMillis) {

    private static final Set<String> READS = Set.of("find", "aggregate", "count", "distinct", "listIndexes",
        "listCollections", "collStats", "dbStats", "dataSize", "explain");

    public static Intent of(BsonDocument body) {
        return of(body.isEmpty() ? "" : body.getFirstKey(), body::get);
    }

    /**
     * The intent of a command named {@code name} whose top-level fields {@code field} reads (a forwarded request's
     * recorded field positions: nothing walks the body again).
     */
    public static Intent of(String name, Function<String, BsonValue> field) {
        BsonValue maxTime = field.apply("maxTimeMS");
        long maxTimeMillis = maxTime != null && maxTime.isNumber() ? Math.max(0, maxTime.asNumber().longValue()) : 0;
        if (READS.contains(name) && !writesOutput(name, field)) {
            return new Intent(ReadPreferences.parse(field.apply("$readPreference")), true, maxTimeMillis);
        }
        return new Intent(ReadPreference.primary(), field.apply("txnNumber") != null, maxTimeMillis);
    }

    /** An aggregate ending in $out or $merge writes, so it needs the primary. */
    private static boolean writesOutput(String name, Function<String, BsonValue> field) {
        if (!name.equals("aggregate")) {
            return false;
        }
        BsonValue pipeline = field.apply("pipeline");
        if (pipeline == null || !pipeline.isArray() || pipeline.asArray().isEmpty()) {
            return false;
        }
        BsonValue last = pipeline.asArray().get(pipeline.asArray().size() - 1);
        return last.isDocument() && (last.asDocument().containsKey("$out") || last.asDocument().containsKey("$merge"));
    }
}
