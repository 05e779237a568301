package io.shardstore.node.command.data;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.protocol.ErrorCode;

/** drop: the engine's drop hook journals it. Dropping a missing collection is ok, as in mongod 7.0. */
public final class DropCommand implements Command {

    @Override
    public String name() {
        return "drop";
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        String ns = ctx.namespace();
        try {
            return ctx.node().storage().run(ctx.channel(), ctx.db(), ctx.name(), ctx.body());
        } catch (MongoServerError e) {
            if (e.getCode() == ErrorCode.NamespaceNotFound.code()) {
                return new Document("ns", ns).append("ok", 1.0);
            }
            throw e;
        }
    }
}
