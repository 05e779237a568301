package io.shardstore.router.planner;

import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.RouterError;

/**
 * Where a pipeline's final {@code $out} / {@code $merge} writes: the stage and its target namespace, which may be in
 * another database than the pipeline's source (and so on another primary shard). Forms: {@code $out: "c"},
 * {@code $out: {db, coll}}, {@code $merge: "c"}, {@code $merge: {into: "c" | {db, coll}, ...}}.
 */
public record OutputTarget(BsonDocument stage, String db, String coll) {

    /** The target of the pipeline's last stage, or null when it does not end in $out / $merge. */
    public static OutputTarget of(List<BsonDocument> pipeline, String sourceDb) {
        if (pipeline.isEmpty()) {
            return null;
        }
        BsonDocument last = pipeline.get(pipeline.size() - 1);
        String name = PipelineSplit.stageName(last);
        if (!name.equals("$out") && !name.equals("$merge")) {
            return null;
        }
        BsonValue spec = last.get(name);
        if (name.equals("$merge") && spec.isDocument()) {
            spec = spec.asDocument().get("into");
        }
        if (spec != null && spec.isString()) {
            return new OutputTarget(last, sourceDb, spec.asString().getValue());
        }
        if (spec != null && spec.isDocument() && spec.asDocument().isString("coll")) {
            BsonDocument d = spec.asDocument();
            return new OutputTarget(last, d.isString("db") ? d.getString("db").getValue() : sourceDb, d.getString("coll").getValue());
        }
        // A malformed stage: the shard's parser gives mongod's exact error when the pipeline runs there.
        return null;
    }

    /**
     * The stage names its target by collection name only, in the source's database: the form the shard's engine runs
     * (it does not take {@code {db, coll}}), so only then can the client's pipeline be forwarded as it is.
     */
    public boolean sameDatabaseByName(String sourceDb) {
        BsonValue spec = stage.get(name());
        if (spec.isDocument() && name().equals("$merge")) {
            spec = spec.asDocument().get("into");
        }
        return spec.isString() && db.equals(sourceDb);
    }

    public String name() {
        return PipelineSplit.stageName(stage);
    }

    public String ns() {
        return db + "." + coll;
    }

    /** The same stage naming its target by collection only, for a pipeline run in the target's own database. */
    public BsonDocument local() {
        if (name().equals("$out")) {
            return new BsonDocument("$out", new BsonString(coll));
        }
        BsonValue spec = stage.get("$merge");
        BsonDocument merge = new BsonDocument(); // a copy that can change: the client's stage may be raw (immutable) BSON
        if (spec.isDocument()) {
            merge.putAll(spec.asDocument());
        }
        merge.put("into", new BsonString(coll));
        return new BsonDocument("$merge", merge);
    }

    /** $out never writes into a sharded collection (mongod's 28769); $merge could, but the router does not place it yet. */
    public RouterError shardedTargetError() {
        return name().equals("$out")
            ? new RouterError(28769, "Location28769", ns() + " cannot be sharded")
            : new RouterError(ErrorCode.CommandNotSupported, "$merge into a sharded collection is not supported through the router yet: " + ns());
    }
}
