package io.shardstore.router.command.data;

import java.util.LinkedHashSet;
import java.util.Set;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.Broadcast;
import io.shardstore.router.engine.DropIndexesKeepingShardKey;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.Plan;
import io.shardstore.router.engine.Route;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.topology.Routing;

/**
 * createIndexes / dropIndexes / listIndexes. On a sharded collection index changes go to every shard that
 * owns a chunk (and the primary), and a unique index must start with the shard key, as mongos requires;
 * listIndexes asks one owning shard.
 */
public final class IndexCommand extends TargetedCommand {
    private final String name;

    public IndexCommand(String name) {
        this.name = name;
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
        Set<String> owners = new LinkedHashSet<>(sharded.chunks().allShards());
        if (name.equals("listIndexes")) {
            String shard = owners.iterator().next();
            return new Route(exec, shard, request, routing.versionFor(shard), ns);
        }
        if (name.equals("createIndexes")) {
            for (BsonValue spec : request.body().getArray("indexes", new BsonArray())) {
                BsonDocument index = spec.asDocument();
                if (index.getBoolean("unique", BsonBoolean.FALSE).getValue()
                    && !startsWithShardKey(sharded.chunks().keyPattern().pattern(), index.getDocument("key", new BsonDocument()))) {
                    throw new RouterError(ErrorCode.CannotCreateIndex, "cannot create unique index over "
                        + index.getDocument("key", new BsonDocument()).toJson() + " with shard key pattern "
                        + sharded.chunks().keyPattern().pattern().toJson());
                }
            }
        }
        owners.add(routing.primary());
        if (name.equals("dropIndexes")) {
            return new DropIndexesKeepingShardKey(exec, owners, request.command(), sharded.chunks().keyPattern(), routing);
        }
        return new Broadcast(exec, owners, request.command(), routing);
    }

    /** Whether the index key's leading fields are the shard key's fields (a hashed key counts by its field). */
    static boolean startsWithShardKey(BsonDocument shardKey, BsonDocument indexKey) {
        var s = shardKey.keySet().iterator();
        var i = indexKey.keySet().iterator();
        while (s.hasNext()) {
            if (!i.hasNext() || !s.next().equals(i.next())) {
                return false;
            }
        }
        return true;
    }
}
