package io.shardstore.router.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;

import io.shardstore.router.frontend.RouterRequest;

/**
 * A sampled query as MongoDB stores it in {@code config.sampledQueries}: {@code _id} (a UUID), {@code ns},
 * {@code collectionUuid}, {@code cmdName}, {@code cmd} and {@code expireAt}. Reads keep only what targeting looks at
 * ({@code filter}, {@code collation}, {@code let}); the filter of an aggregate is its leading {@code $match}, of a
 * count or distinct its {@code query}. A write keeps one statement per document (an update or delete with many
 * statements gives one sample each), as MongoDB samples statements.
 * <p>
 * Stored, {@code cmd} is held as its BSON bytes ({@code cmdBson}, binary): it is full of field names that start with
 * '$' (operators), which the shard nodes' storage does not keep in documents; and the samples of one second and
 * namespace are stored together in one document's {@code samples} array ({@link QueryAnalyzers}).
 * {@code $listSampledQueries} and analyzeShardKey read them back one by one as MongoDB shows them ({@link #shown}).
 */
public final class SampledQuery {
    /** MongoDB's queryAnalysisSampleExpirationSecs default: 7 days. */
    public static final long EXPIRE_AFTER_MILLIS = 7L * 24 * 3600 * 1000;
    /** The commands MongoDB samples. */
    static final java.util.Set<String> SAMPLED = java.util.Set.of("find", "aggregate", "count", "distinct", "update", "delete",
        "findAndModify", "findandmodify");

    private SampledQuery() {
    }

    /** The sample documents for one request, or none when it is not a command MongoDB samples. */
    public static List<org.bson.RawBsonDocument> of(RouterRequest request, String ns, BsonValue collectionUuid, long nowMillis) {
        String name = request.name();
        List<BsonDocument> cmds = new ArrayList<>();
        String cmdName = name;
        switch (name) {
            case "find" -> cmds.add(read(request.value("filter"), request));
            case "count", "distinct" -> cmds.add(read(request.value("query"), request));
            case "aggregate" -> cmds.add(read(leadingMatch(request.value("pipeline")), request));
            case "update", "delete" -> {
                String field = name.equals("update") ? "updates" : "deletes";
                for (BsonDocument stmt : request.documents(field)) {
                    BsonDocument cmd = new BsonDocument(field, new BsonArray(List.of(stmt)));
                    copy(request, cmd, "let");
                    cmds.add(cmd);
                }
            }
            case "findAndModify", "findandmodify" -> {
                cmdName = "findAndModify";
                BsonDocument cmd = new BsonDocument();
                for (String f : new String[] {"query", "update", "remove", "upsert", "new", "sort", "collation", "let"}) {
                    copy(request, cmd, f);
                }
                cmds.add(cmd);
            }
            default -> {
                return List.of();
            }
        }
        List<org.bson.RawBsonDocument> out = new ArrayList<>(cmds.size());
        for (BsonDocument cmd : cmds) {
            // Encoded once here: the writer then copies bytes instead of walking every sample with a codec.
            out.add(raw(new BsonDocument("_id", new BsonBinary(randomUuid(), UuidRepresentation.STANDARD))
                .append("ns", new BsonString(ns))
                .append("collectionUuid", collectionUuid)
                .append("cmdName", new BsonString(cmdName))
                .append("cmdBson", new org.bson.BsonBinary(bytes(cmd)))
                .append("expireAt", new BsonDateTime(nowMillis + EXPIRE_AFTER_MILLIS))));
        }
        return out;
    }

    /** A stored sample as MongoDB lays it out: {@code cmd} as a document again. */
    public static BsonDocument shown(BsonDocument stored) {
        BsonDocument out = new BsonDocument();
        for (var e : stored.entrySet()) {
            if (e.getKey().equals("cmdBson") && e.getValue().isBinary()) {
                out.append("cmd", new org.bson.RawBsonDocument(e.getValue().asBinary().getData()));
            } else {
                out.append(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /**
     * A version-4 UUID from ThreadLocalRandom: a sample's id needs to be unique, not unpredictable, and
     * UUID.randomUUID's SecureRandom is shared by every event loop thread.
     */
    static UUID randomUuid() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo);
    }

    private static org.bson.RawBsonDocument raw(BsonDocument doc) {
        return new org.bson.RawBsonDocument(doc, new org.bson.codecs.BsonDocumentCodec());
    }

    private static byte[] bytes(BsonDocument doc) {
        org.bson.RawBsonDocument raw = new org.bson.RawBsonDocument(doc, new org.bson.codecs.BsonDocumentCodec());
        return java.util.Arrays.copyOf(raw.getByteBuffer().array(), raw.getByteBuffer().remaining());
    }

    private static BsonDocument read(BsonValue filter, RouterRequest request) {
        BsonDocument cmd = new BsonDocument("filter", filter instanceof BsonDocument d ? d.clone() : new BsonDocument());
        copy(request, cmd, "collation");
        copy(request, cmd, "let");
        return cmd;
    }

    private static void copy(RouterRequest request, BsonDocument into, String field) {
        BsonValue v = request.value(field);
        if (v != null) {
            into.append(field, v instanceof BsonDocument d ? d.clone() : v);
        }
    }

    /** The filter of a pipeline's first stage when it is a $match, else an empty filter (it reads everything). */
    private static BsonValue leadingMatch(BsonValue pipeline) {
        if (pipeline instanceof BsonArray stages && !stages.isEmpty() && stages.get(0) instanceof BsonDocument first
            && first.get("$match") instanceof BsonDocument match) {
            return match;
        }
        return new BsonDocument();
    }
}
