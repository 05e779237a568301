package io.shardstore.router.command.data;

import java.util.List;

import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.Plan;
import io.shardstore.router.engine.Route;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.planner.ShardKeyGuard;
import io.shardstore.router.planner.Targeting;
import io.shardstore.router.topology.Routing;

/**
 * findAndModify on a sharded collection needs the shard key in its query (it acts on one document of
 * one shard) and may not change the document's shard key.
 */
public final class FindAndModifyCommand extends TargetedCommand {

    @Override
    public String name() {
        return "findAndModify";
    }

    @Override
    public List<String> aliases() {
        return List.of("findandmodify");
    }

    @Override
    protected Plan plan(RouterRequest request, Exec exec, String ns, Routing routing) {
        if (!(routing instanceof Routing.Sharded sharded)) {
            return primary(request, exec, ns, routing);
        }
        BsonDocument body = request.body();
        boolean remove = truthy(body.get("remove"));
        if (remove == (body.get("update") != null) || remove && (truthy(body.get("new")) || truthy(body.get("upsert")))) {
            // An option combination mongod refuses: the shard node's parser answers with the exact error.
            return new Route(exec, routing.primary(), request, null, ns);
        }
        BsonDocument query = request.body().isDocument("query") ? request.body().getDocument("query") : new BsonDocument();
        var keys = Targeting.exactKeys(sharded.chunks().keyPattern(), query);
        if (keys == null || keys.size() != 1) {
            throw new RouterError(ErrorCode.ShardKeyNotFound, "Query for sharded findAndModify must contain the shard key "
                + sharded.chunks().keyPattern() + ": " + query.toJson());
        }
        BsonValue update = request.body().get("update");
        if (update != null && !request.body().getBoolean("remove", BsonBoolean.FALSE).getValue()) {
            BsonDocument written = ShardKeyGuard.writtenKey(sharded.chunks().keyPattern(), query, update);
            if (!written.isEmpty()) {
                throw ShardKeyGuard.immutable(written.getFirstKey());
            }
        }
        String shard = sharded.chunks().chunkFor(keys.get(0)).shard();
        return new Route(exec, shard, request, sharded.versionFor(shard), ns);
    }

    private static boolean truthy(BsonValue v) {
        return v != null && (v.isBoolean() ? v.asBoolean().getValue() : v.isNumber() && v.asNumber().doubleValue() != 0);
    }
}
