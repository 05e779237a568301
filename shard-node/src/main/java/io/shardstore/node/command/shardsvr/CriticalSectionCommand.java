package io.shardstore.node.command.shardsvr;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * {@code _shardsvrCriticalSection: "db.coll", enter: bool}: while held, versioned writes to the collection
 * wait; when it ends they are checked against the (by then new) shard version, so none lands on the
 * wrong shard while a migration commits.
 */
public final class CriticalSectionCommand implements Command {

    @Override
    public String name() {
        return "_shardsvrCriticalSection";
    }

    @Override
    public Document run(CommandContext ctx) {
        if (!(ctx.body().get(name()) instanceof String ns) || !ns.contains(".")) {
            throw Errors.of(ErrorCode.InvalidNamespace, name() + " needs a full namespace");
        }
        if (Boolean.TRUE.equals(ctx.body().get("enter"))) {
            ctx.node().sharding().enterCriticalSection(ns);
        } else {
            ctx.node().sharding().exitCriticalSection(ns);
        }
        return new Document("ok", 1.0);
    }
}
