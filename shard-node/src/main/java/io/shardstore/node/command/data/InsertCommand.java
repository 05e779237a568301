package io.shardstore.node.command.data;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/** insert: the engine inserts; the effect recorder journals what was stored. */
public final class InsertCommand implements Command {

    @Override
    public String name() {
        return "insert";
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        WriteBatch.validate(ctx, "documents");
        Document reply = ctx.node().storage().run(ctx.channel(), ctx.db(), "insert", ctx.body());
        // mongo-java-server counts the whole batch; mongod counts what was inserted.
        if (reply.get("writeErrors") instanceof java.util.List<?> errors && !errors.isEmpty()) {
            int batch = ((java.util.List<?>) ctx.body().get("documents")).size();
            boolean ordered = Boolean.TRUE.equals(ctx.body().get("ordered"));
            int firstFailed = ((Number) ((Document) errors.get(0)).get("index")).intValue();
            reply.put("n", ordered ? firstFailed : batch - errors.size());
        }
        return reply;
    }
}
