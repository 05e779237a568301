package io.shardstore.router.command.data;

import org.bson.BsonDocument;

import io.shardstore.router.engine.CountSum;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.Plan;
import io.shardstore.router.engine.Route;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.planner.Targeting;
import io.shardstore.router.topology.Routing;

/** count: one shard when the query pins it, else the sum over the targeted shards. */
public final class CountCommand extends TargetedCommand {

    @Override
    public String name() {
        return "count";
    }

    @Override
    protected Plan plan(RouterRequest request, Exec exec, String ns, Routing routing) {
        if (!(routing instanceof Routing.Sharded sharded)) {
            return primary(request, exec, ns, routing);
        }
        BsonDocument query = request.body().isDocument("query") ? request.body().getDocument("query") : new BsonDocument();
        Targeting.Target target = Targeting.shardsFor(sharded.chunks(), query);
        if (target.shards().size() == 1) {
            String shard = target.shards().iterator().next();
            return new Route(exec, shard, request, routing.versionFor(shard), ns);
        }
        return new CountSum(exec, target.shards(), request.command(), sharded);
    }
}
