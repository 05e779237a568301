package io.shardstore.node.command.shardsvr;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.node.sharding.ShardVersion;
import io.shardstore.node.command.data.CatalogCommand;
import io.shardstore.node.command.data.Namespaces;
import io.shardstore.protocol.ErrorCode;

/**
 * {@code _shardsvrCommitResharding: "db.coll", temp: "db.system.resharding.<uuid>" | null, version: {e, t, v}}: the
 * last step of reshardCollection on one shard. A recipient's temporary collection (the documents it owns under the new
 * key) replaces the collection, a shard that owns nothing under the new key drops its copy, and the shard takes the new
 * version, all in one step on the storage thread: a read sees either the old data under the old version or the new data
 * under the new one, never the new data while it still accepts the old version. Running it again after it succeeded
 * changes nothing (the coordinator repeats it after a failover of the config server).
 */
public final class CommitReshardingCommand implements Command {

    @Override
    public String name() {
        return "_shardsvrCommitResharding";
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        if (!(ctx.body().get(name()) instanceof String ns) || ns.indexOf('.') <= 0) {
            throw Errors.of(ErrorCode.InvalidNamespace, name() + " needs a full namespace");
        }
        Object temp = ctx.body().get("temp");
        if (temp != null && !(temp instanceof String)) {
            throw Errors.of(ErrorCode.TypeMismatch, "temp must be a namespace or null");
        }
        ShardVersion version = ShardVersion.parse(ctx.body().get("version"));
        if (version == null) {
            throw Errors.of(ErrorCode.BadValue, "version must be {e: ObjectId, t: Timestamp, v: Timestamp}");
        }
        String db = ns.substring(0, ns.indexOf('.'));
        String coll = ns.substring(ns.indexOf('.') + 1);
        boolean replaced = false;
        if (temp instanceof String tempNs) {
            if (exists(ctx, tempNs)) {
                catalogChange(ctx, "admin", new Document("renameCollection", tempNs).append("to", ns).append("dropTarget", true));
                replaced = true;
            }
        } else if (exists(ctx, ns)) {
            catalogChange(ctx, db, new Document("drop", coll));
        }
        ctx.node().sharding().setVersion(ns, version);
        return new Document("replaced", replaced).append("ok", 1.0);
    }

    private static boolean exists(CommandContext ctx, String ns) {
        int dot = ns.indexOf('.');
        return Namespaces.collection(ctx, ns.substring(0, dot), ns.substring(dot + 1)) != null;
    }

    private static void catalogChange(CommandContext ctx, String db, Document command) {
        String name = command.keySet().iterator().next();
        Document reply = CatalogCommand.apply(ctx, db, name, command);
        if (!(reply.get("ok") instanceof Number ok) || ok.doubleValue() != 1.0) {
            throw Errors.of(ErrorCode.OperationFailed, name + " during the resharding commit failed: " + reply);
        }
    }
}
