package io.shardstore.router.command.data;

import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.Plan;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.topology.Routing;

/** Commands answered by the database's primary shard (create, validate, collMod). */
public final class PrimaryShardCommand extends TargetedCommand {
    private final String name;

    public PrimaryShardCommand(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected String collection(RouterRequest request) {
        String coll = request.collection();
        return coll == null ? "$cmd" : coll;
    }

    @Override
    protected Plan plan(RouterRequest request, Exec exec, String ns, Routing routing) {
        // No shard version: these commands read or change the collection as a whole on the primary.
        return new io.shardstore.router.engine.Route(exec, routing.primary(), request, null, ns);
    }
}
