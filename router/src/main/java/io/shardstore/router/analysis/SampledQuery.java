package io.shardstore.router.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.UuidRepresentation;
import org.bson.codecs.BsonValueCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;

import io.shardstore.router.frontend.RouterRequest;

/**
 * A sampled query as MongoDB stores it in {@code config.sampledQueries}: {@code _id} (a UUID), {@code ns},
 * {@code collectionUuid}, {@code cmdName}, {@code cmd} and {@code expireAt}. Reads keep only what targeting looks at
 * ({@code filter}, {@code collation}, {@code let}); the filter of an aggregate is its leading {@code $match}, of a
 * count or distinct its {@code query}. A write keeps one statement per document (an update or delete with many
 * statements gives one sample each), as MongoDB samples statements.
 * <p>
 * A sample is written straight to BSON bytes on the request's thread: the request's raw field values are copied in
 * as bytes, never decoded. The samples of one second and namespace are stored together, as one binary field of one
 * document ({@link QueryAnalyzers}); {@code $listSampledQueries} and analyzeShardKey read them back one by one in
 * MongoDB's layout.
 */
public final class SampledQuery {
    /** MongoDB's queryAnalysisSampleExpirationSecs default: 7 days. */
    public static final long EXPIRE_AFTER_MILLIS = 7L * 24 * 3600 * 1000;
    /** The commands MongoDB samples. */
    static final java.util.Set<String> SAMPLED = java.util.Set.of("find", "aggregate", "count", "distinct", "update", "delete",
        "findAndModify", "findandmodify");
    private static final BsonValueCodec VALUES = new BsonValueCodec();
    private static final EncoderContext ENCODE = EncoderContext.builder().build();

    private SampledQuery() {
    }

    /** The sample documents for one request, or none when it is not a command MongoDB samples. */
    public static List<RawBsonDocument> of(RouterRequest request, String ns, BsonValue collectionUuid, long nowMillis) {
        String name = request.name();
        List<List<Map.Entry<String, BsonValue>>> cmds = new ArrayList<>();
        String cmdName = name;
        switch (name) {
            case "find" -> cmds.add(read(request.value("filter"), request));
            case "count", "distinct" -> cmds.add(read(request.value("query"), request));
            case "aggregate" -> cmds.add(read(leadingMatch(request.value("pipeline")), request));
            case "update", "delete" -> {
                String field = name.equals("update") ? "updates" : "deletes";
                for (BsonDocument stmt : request.documents(field)) {
                    List<Map.Entry<String, BsonValue>> cmd = new ArrayList<>();
                    cmd.add(Map.entry(field, new BsonArray(List.of(stmt))));
                    copy(request, cmd, "let");
                    cmds.add(cmd);
                }
            }
            case "findAndModify", "findandmodify" -> {
                cmdName = "findAndModify";
                List<Map.Entry<String, BsonValue>> cmd = new ArrayList<>();
                for (String f : new String[] {"query", "update", "remove", "upsert", "new", "sort", "collation", "let"}) {
                    copy(request, cmd, f);
                }
                cmds.add(cmd);
            }
            default -> {
                return List.of();
            }
        }
        List<RawBsonDocument> out = new ArrayList<>(cmds.size());
        for (List<Map.Entry<String, BsonValue>> cmd : cmds) {
            out.add(sample(ns, collectionUuid, cmdName, cmd, nowMillis));
        }
        return out;
    }

    /**
     * The request as the shards get it when it was sampled: each update statement carries its sample's {@code _id} as
     * {@code sampleId}, and a findAndModify that updates carries it at its top, as mongos sends them, so that the shard
     * records the change in {@code config.sampledQueriesDiff}. Other commands, and requests in a transaction (whose
     * writes a diff must not join), are returned as they are.
     */
    static RouterRequest withSampleIds(RouterRequest request, List<RawBsonDocument> samples) {
        String name = request.name();
        boolean update = name.equals("update");
        boolean findAndModify = (name.equals("findAndModify") || name.equals("findandmodify")) && request.value("update") != null;
        if ((!update && !findAndModify) || samples.isEmpty() || request.value("autocommit") != null) {
            return request;
        }
        BsonDocument cmd = request.command();
        if (update) {
            if (!(cmd.get("updates") instanceof BsonArray statements) || statements.size() != samples.size()) {
                return request;
            }
            for (int i = 0; i < statements.size(); i++) {
                if (!(statements.get(i) instanceof BsonDocument statement)) {
                    return request;
                }
                BsonDocument copy = new BsonDocument(); // a statement from a document sequence is raw, which cannot change
                copy.putAll(statement);
                copy.put("sampleId", samples.get(i).get("_id"));
                statements.set(i, copy);
            }
        } else {
            cmd.put("sampleId", samples.get(0).get("_id"));
        }
        RawBsonDocument body = new RawBsonDocument(cmd, new org.bson.codecs.BsonDocumentCodec());
        return new RouterRequest(name, request.db(), body, Map.of(), null);
    }

    /** {@code {_id, ns, collectionUuid, cmdName, cmd, expireAt}}, written once as bytes. */
    private static RawBsonDocument sample(String ns, BsonValue collectionUuid, String cmdName, List<Map.Entry<String, BsonValue>> cmd,
                                          long nowMillis) {
        BasicOutputBuffer out = new BasicOutputBuffer(256);
        try (BsonBinaryWriter w = new BsonBinaryWriter(out)) {
            w.writeStartDocument();
            w.writeBinaryData("_id", new BsonBinary(randomUuid(), UuidRepresentation.STANDARD));
            w.writeString("ns", ns);
            write(w, "collectionUuid", collectionUuid);
            w.writeString("cmdName", cmdName);
            w.writeStartDocument("cmd");
            for (Map.Entry<String, BsonValue> field : cmd) {
                write(w, field.getKey(), field.getValue());
            }
            w.writeEndDocument();
            w.writeDateTime("expireAt", nowMillis + EXPIRE_AFTER_MILLIS);
            w.writeEndDocument();
        }
        return new RawBsonDocument(out.getInternalBuffer(), 0, out.getPosition());
    }

    /** A field: a raw document (the request's own bytes) is copied as bytes, anything else encoded. */
    private static void write(BsonBinaryWriter w, String name, BsonValue value) {
        w.writeName(name);
        if (value instanceof RawBsonDocument raw) {
            try (BsonBinaryReader r = new BsonBinaryReader(raw.getByteBuffer().asNIO())) {
                w.pipe(r);
            }
        } else {
            VALUES.encode(w, value, ENCODE);
        }
    }

    /** A stored sample as MongoDB lays it out (samples stored before the binary batches held {@code cmd} as bytes). */
    public static BsonDocument shown(BsonDocument stored) {
        if (!stored.containsKey("cmdBson")) {
            return stored;
        }
        BsonDocument out = new BsonDocument();
        for (var e : stored.entrySet()) {
            if (e.getKey().equals("cmdBson") && e.getValue().isBinary()) {
                out.append("cmd", new RawBsonDocument(e.getValue().asBinary().getData()));
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

    private static List<Map.Entry<String, BsonValue>> read(BsonValue filter, RouterRequest request) {
        List<Map.Entry<String, BsonValue>> cmd = new ArrayList<>();
        cmd.add(Map.entry("filter", filter instanceof BsonDocument ? filter : new BsonDocument()));
        copy(request, cmd, "collation");
        copy(request, cmd, "let");
        return cmd;
    }

    private static void copy(RouterRequest request, List<Map.Entry<String, BsonValue>> into, String field) {
        BsonValue v = request.value(field);
        if (v != null) {
            into.add(Map.entry(field, v));
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
