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
 * findAndModify on a sharded collection: with the shard key in its query it goes to that key's shard; without it
 * (MongoDB 7.0) the document is found first ({@link io.shardstore.router.engine.FindAndModifyWithoutShardKey}); an
 * upsert needs the key, and no findAndModify may change a document's shard key.
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
        if ((keys == null || keys.size() != 1) && truthy(body.get("upsert"))) {
            throw new RouterError(ErrorCode.ShardKeyNotFound, "Query for sharded findAndModify with upsert must contain the shard key "
                + sharded.chunks().keyPattern() + ": " + query.toJson());
        }
        BsonValue update = request.body().get("update");
        BsonDocument written = new BsonDocument();
        if (update != null && !request.body().getBoolean("remove", BsonBoolean.FALSE).getValue()) {
            written = ShardKeyGuard.writtenKey(sharded.chunks().keyPattern(), query, update);
        }
        if (keys == null || keys.size() != 1) {
            // MongoDB 7.0: the document is found on the shards the query may reach, then modified where it lives; an
            // update that writes the key is held to the document's present key value (else ImmutableField).
            java.util.Set<String> shards = Targeting.shardsFor(sharded.chunks(), query).shards();
            if (shards.size() == 1 && written.isEmpty()) {
                String only = shards.iterator().next();
                return new Route(exec, only, request, sharded.versionFor(only), ns);
            }
            return new io.shardstore.router.engine.FindAndModifyWithoutShardKey(exec, ns, shards, request.command(), written, sharded);
        }
        if (!written.isEmpty()) {
            throw ShardKeyGuard.immutable(written.getFirstKey());
        }
        String shard = sharded.chunks().chunkFor(keys.get(0)).shard();
        return new Route(exec, shard, request, sharded.versionFor(shard), ns);
    }

    private static boolean truthy(BsonValue v) {
        return v != null && (v.isBoolean() ? v.asBoolean().getValue() : v.isNumber() && v.asNumber().doubleValue() != 0);
    }
}
