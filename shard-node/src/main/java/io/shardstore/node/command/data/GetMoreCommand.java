package io.shardstore.node.command.data;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * getMore, by the engine; on a tailable cursor of local.oplog.rs, by {@code OplogGetMore}. Without a batchSize mongod returns the rest of the results; the engine takes a
 * missing batchSize as 0 and fails, so "the rest" is spelled out for it. A batchSize of 0 or less is refused, as mongod refuses it.
 */
public final class GetMoreCommand implements Command {

    @Override
    public boolean concurrentRead(CommandContext ctx) {
        return Command.outsideLocal(ctx);
    }

    @Override
    public String name() {
        return "getMore";
    }

    @Override
    public Command forRequest(CommandContext ctx) {
        io.shardstore.node.replication.ReplicationCoordinator repl = ctx.node().replication();
        return io.shardstore.node.replication.OplogGetMore.isFor(repl, ctx) ? new io.shardstore.node.replication.OplogGetMore(repl) : this;
    }

    @Override
    public Document run(CommandContext ctx) {
        Document body = ctx.body();
        if (!(body.get("getMore") instanceof Number)) {
            throw Errors.typeMismatch("BSON field 'getMore.getMore' is the wrong type '" + Errors.typeName(body.get("getMore"))
                + "', expected type 'long'");
        }
        if (!(body.get("collection") instanceof String collection) || collection.isEmpty()) {
            throw body.get("collection") == null
                ? Errors.location(40414, "BSON field 'getMore.collection' is missing but a required field")
                : Errors.typeMismatch("BSON field 'getMore.collection' is the wrong type '" + Errors.typeName(body.get("collection"))
                    + "', expected type 'string'");
        }
        Object batchSize = body.get("batchSize");
        if (batchSize == null) {
            body.put("batchSize", Integer.MAX_VALUE);
        } else if (!(batchSize instanceof Number n) || n.longValue() <= 0) {
            throw Errors.of(ErrorCode.BadValue, "Batch size for getMore must be positive, but received: " + batchSize);
        }
        return ctx.node().storage().run(ctx.channel(), ctx.db(), ctx.name(), body);
    }
}
