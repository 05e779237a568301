package io.shardstore.router.command.data;

import io.shardstore.router.engine.CollStatsSum;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.Plan;
import io.shardstore.router.engine.Route;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.topology.Routing;

/** collStats: a sharded collection's statistics summed over its shards ({@link CollStatsSum}); else the primary's. */
public final class CollStatsCommand extends TargetedCommand {

    @Override
    public String name() {
        return "collStats";
    }

    @Override
    protected Plan plan(RouterRequest request, Exec exec, String ns, Routing routing) {
        if (routing instanceof Routing.Sharded sharded) {
            return new CollStatsSum(exec, ns, request.command(), sharded);
        }
        return new Route(exec, routing.primary(), request, null, ns);
    }
}
