package io.shardstore.router.command.data;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.MergeFind;
import io.shardstore.router.engine.Plan;
import io.shardstore.router.engine.Route;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.planner.Targeting;
import io.shardstore.router.topology.Routing;

/** find: one shard when the filter pins it (forwarded as is), else a merge over the targeted shards. */
public final class FindCommand extends TargetedCommand {

    @Override
    public String name() {
        return "find";
    }

    @Override
    protected Plan plan(RouterRequest request, Exec exec, String ns, Routing routing) {
        if (!(routing instanceof Routing.Sharded sharded)) {
            return primary(request, exec, ns, routing);
        }
        BsonValue batchSize = request.value("batchSize");
        if (batchSize != null && batchSize.isNumber() && batchSize.asNumber().longValue() < 0) {
            // Refused by the shard node's parser with mongod's exact error; nothing is read.
            return new Route(exec, routing.primary(), request, null, ns);
        }
        BsonValue given = request.value("filter");
        BsonDocument filter = given != null && given.isDocument() ? given.asDocument() : new BsonDocument();
        Targeting.Target target = Targeting.shardsFor(sharded.chunks(), filter);
        if (target.shards().size() == 1) {
            String shard = target.shards().iterator().next();
            return new Route(exec, shard, request, routing.versionFor(shard), ns);
        }
        return new MergeFind(exec, ns, target.shards(), request.command(), sharded);
    }
}
