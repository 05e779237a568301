package io.shardstore.node.command.data;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/**
 * find, by the engine. The engine ignores {@code singleBatch}; mongod closes the cursor after the first
 * batch, so a cursor the engine left open is killed here and reported as id 0.
 */
public final class FindCommand implements Command {

    @Override
    public String name() {
        return "find";
    }

    @Override
    public Document run(CommandContext ctx) {
        Document reply = ctx.node().storage().run(ctx.channel(), ctx.db(), ctx.name(), ctx.body());
        if (Boolean.TRUE.equals(ctx.body().get("singleBatch")) && reply.get("cursor") instanceof Document cursor
            && cursor.get("id") instanceof Number id && id.longValue() != 0) {
            ctx.node().storage().run(ctx.channel(), ctx.db(), "killCursors",
                new Document("killCursors", ctx.collectionName()).append("cursors", List.of(id.longValue())));
            cursor.put("id", 0L);
        }
        return reply;
    }
}
