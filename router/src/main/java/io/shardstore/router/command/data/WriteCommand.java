package io.shardstore.router.command.data;

import java.util.List;

import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

import io.shardstore.protocol.WireLimits;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.InsertSplit;
import io.shardstore.router.engine.Plan;
import io.shardstore.router.engine.Route;
import io.shardstore.router.engine.WriteSplit;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.topology.Routing;

/**
 * insert, update and delete. On an unsharded collection the request goes to the primary shard as it is;
 * on a sharded one it is split per shard ({@link InsertSplit}, {@link WriteSplit}), except that a single
 * insert, or updates and deletes all pinned to one shard by the shard key, are still forwarded as they are.
 */
public final class WriteCommand extends TargetedCommand {
    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();
    private final String name;
    private final String batchField;

    public WriteCommand(String name, String batchField) {
        this.name = name;
        this.batchField = batchField;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected Plan plan(RouterRequest request, Exec exec, String ns, Routing routing) {
        if (!(routing instanceof Routing.Sharded sharded)) {
            return primary(request, exec, ns, routing);
        }
        List<BsonDocument> batch = request.documents(batchField);
        if (name.equals("update") && !malformedBatch(request, batch)) {
            // The usual update, pinned to one shard, read off its bytes (nothing decoded); anything else is null.
            String shard = io.shardstore.router.planner.RawUpdateTarget.singleShard(batch, sharded.chunks());
            if (shard != null) {
                return new Route(exec, shard, request, sharded.versionFor(shard), ns, "SINGLE_SHARD");
            }
        }
        if (!name.equals("insert")) {
            // Statements decoded once: the checks below, targeting and the shard-key guard each read several of their
            // fields, and every read of a raw document walks it again from the start.
            batch.replaceAll(s -> s instanceof RawBsonDocument raw ? raw.decode(CODEC) : s);
        }
        if (malformed(request, batch)) {
            // The shard node's parser answers with mongod's exact error; nothing is written.
            return new Route(exec, routing.primary(), request, null, ns);
        }
        if (name.equals("insert")) {
            if (batch.size() == 1) {
                BsonDocument doc = batch.get(0);
                if (sharded.chunks().keyPattern().firstMissingField(doc) == null) {
                    String shard = sharded.chunks().chunkFor(sharded.chunks().keyPattern().keyOf(doc)).shard();
                    return new Route(exec, shard, request, sharded.versionFor(shard), ns, "SINGLE_SHARD");
                }
            }
        } else {
            // Statements that all land on one shard, none rewritten by the shard-key guard: the shard applies
            // the batch with the client's own ordered flag and indexes, so its reply is the client's reply.
            String shard = WriteSplit.singleShard(name, batch, sharded.chunks());
            if (shard != null) {
                return new Route(exec, shard, request, sharded.versionFor(shard), ns, "SINGLE_SHARD");
            }
        }
        boolean ordered = request.body().getBoolean("ordered", BsonBoolean.TRUE).getValue();
        BsonDocument base = request.body().decode(CODEC);
        base.remove(batchField);
        if (name.equals("insert")) {
            return new InsertSplit(exec, ns, base, batch, ordered, sharded);
        }
        return new WriteSplit(exec, ns, name, base, batch, ordered, sharded);
    }

    /** The batch as a whole is malformed: missing, not an array, empty, too large, or with an element not a document. */
    private boolean malformedBatch(RouterRequest request, List<BsonDocument> batch) {
        boolean inSequence = request.sequences().containsKey(batchField);
        BsonValue inBody = request.value(batchField);
        boolean present = inSequence || (inBody != null && inBody.isArray());
        return !present || batch.isEmpty() || batch.size() > WireLimits.MAX_WRITE_BATCH_SIZE
            || (!inSequence && batch.size() != request.count(batchField));
    }

    /** A batch the node's parser refuses: missing, not an array, empty, too large, or a delete limit not 0 or 1. */
    private boolean malformed(RouterRequest request, List<BsonDocument> batch) {
        if (malformedBatch(request, batch)) {
            return true;
        }
        if (name.equals("update")) {
            for (BsonDocument d : batch) {
                if (!d.isDocument("q") || !(d.isDocument("u") || d.isArray("u"))) {
                    return true;
                }
            }
        }
        if (name.equals("delete")) {
            for (BsonDocument d : batch) {
                if (!d.isNumber("limit") || (d.getNumber("limit").doubleValue() != 0 && d.getNumber("limit").doubleValue() != 1)) {
                    return true;
                }
            }
        }
        return false;
    }
}
