package io.shardstore.node.command.shardsvr;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.node.sharding.ShardVersion;
import io.shardstore.protocol.ErrorCode;

/**
 * {@code _shardsvrSetShardVersion: "db.coll", version: {e, t, v} | null}: the config server tells this shard
 * the version of a collection after shardCollection, a split or a migration (null: no longer sharded).
 * It runs on the storage thread, so it is ordered with the requests it makes stale.
 */
public final class SetShardVersionCommand implements Command {

    @Override
    public String name() {
        return "_shardsvrSetShardVersion";
    }

    @Override
    public Document run(CommandContext ctx) {
        if (!(ctx.body().get(name()) instanceof String ns) || !ns.contains(".")) {
            throw Errors.of(ErrorCode.InvalidNamespace, name() + " needs a full namespace");
        }
        Object version = ctx.body().get("version");
        ShardVersion parsed = ShardVersion.parse(version);
        if (version != null && parsed == null) {
            throw Errors.of(ErrorCode.BadValue, "version must be {e: ObjectId, t: Timestamp, v: Timestamp} or null");
        }
        ctx.node().sharding().setVersion(ns, parsed);
        return new Document("ok", 1.0);
    }
}
