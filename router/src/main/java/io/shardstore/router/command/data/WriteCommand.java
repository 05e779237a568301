package io.shardstore.router.command.data;

import java.util.List;

import org.bson.BsonBoolean;
import org.bson.BsonDocument;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.protocol.WireLimits;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.InsertSplit;
import io.shardstore.router.engine.Plan;
import io.shardstore.router.engine.Route;
import io.shardstore.router.engine.WriteSplit;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.planner.Targeting;
import io.shardstore.router.topology.Routing;

/**
 * insert, update and delete. On an unsharded collection the request goes to the primary shard as it is;
 * on a sharded one it is split per shard ({@link InsertSplit}, {@link WriteSplit}), except that a single
 * statement pinned to one shard by its shard key is still forwarded as it is.
 */
public final class WriteCommand extends TargetedCommand {
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
        if (batch.isEmpty() || batch.size() > WireLimits.MAX_WRITE_BATCH_SIZE) {
            throw new RouterError(ErrorCode.InvalidLength, "Write batch sizes must be between 1 and "
                + WireLimits.MAX_WRITE_BATCH_SIZE + ". Got " + batch.size() + " operations.");
        }
        boolean ordered = request.body().getBoolean("ordered", BsonBoolean.TRUE).getValue();
        BsonDocument base = request.body().decode(new org.bson.codecs.BsonDocumentCodec());
        base.remove(batchField);
        if (name.equals("insert")) {
            if (batch.size() == 1) {
                BsonDocument doc = batch.get(0);
                if (sharded.chunks().keyPattern().firstMissingField(doc) == null) {
                    String shard = sharded.chunks().chunkFor(sharded.chunks().keyPattern().keyOf(doc)).shard();
                    return new Route(exec, shard, request, sharded.versionFor(shard), ns, "SINGLE_SHARD");
                }
            }
            return new InsertSplit(exec, ns, base, batch, ordered, sharded);
        }
        return new WriteSplit(exec, ns, name, base, batch, ordered, sharded);
    }

    static boolean pinsOneShard(Routing.Sharded sharded, BsonDocument filter) {
        var keys = Targeting.exactKeys(sharded.chunks().keyPattern(), filter);
        return keys != null && keys.size() == 1;
    }
}
