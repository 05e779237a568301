package io.shardstore.router.command.data;

import java.util.Set;

import org.bson.BsonDocument;

import io.shardstore.router.engine.CountSum;
import io.shardstore.router.engine.DistinctUnion;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.Plan;
import io.shardstore.router.engine.Route;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.planner.Targeting;
import io.shardstore.router.topology.Routing;

/**
 * count and distinct: targeted by their {@code query}; one shard gets the request as it is, several get it
 * through the command's merge primitive (the sum of counts, the union of values).
 */
public final class QueryCommand extends TargetedCommand {

    /** Builds the merge plan over several shards. */
    @FunctionalInterface
    interface Merge {
        Plan plan(Exec exec, Set<String> shards, BsonDocument command, Routing.Sharded routing);
    }

    private final String name;
    private final Merge merge;

    private QueryCommand(String name, Merge merge) {
        this.name = name;
        this.merge = merge;
    }

    public static QueryCommand count() {
        return new QueryCommand("count", CountSum::new);
    }

    public static QueryCommand distinct() {
        return new QueryCommand("distinct", DistinctUnion::new);
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
        BsonDocument query = request.body().isDocument("query") ? request.body().getDocument("query") : new BsonDocument();
        Targeting.Target target = Targeting.shardsFor(sharded.chunks(), query);
        if (target.shards().size() == 1) {
            String shard = target.shards().iterator().next();
            return new Route(exec, shard, request, routing.versionFor(shard), ns);
        }
        return merge.plan(exec, target.shards(), request.command(), sharded);
    }
}
