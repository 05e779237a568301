package io.shardstore.node.command.data;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.protocol.CommandSyntax;

/**
 * find, by the engine. The engine ignores {@code singleBatch}; mongod closes the cursor after the first
 * batch, so a cursor the engine left open is killed here and reported as id 0. The engine also reads
 * {@code batchSize: 0} as "everything now"; mongod returns an empty first batch and an open cursor.
 */
public final class FindCommand implements Command {

    @Override
    public CommandSyntax.Syntax options() {
        return CommandSyntax.of("find");
    }

    @Override
    public boolean concurrentRead(CommandContext ctx) {
        return Command.outsideLocal(ctx);
    }

    @Override
    public String name() {
        return "find";
    }

    @Override
    public Document run(CommandContext ctx) {
        if (ctx.node().replication() != null && "local".equals(ctx.db()) && "oplog.rs".equals(ctx.body().get("find"))) {
            return io.shardstore.node.replication.OplogFind.run(ctx.node().replication(), ctx.body());
        }
        if (Boolean.TRUE.equals(ctx.body().get("awaitData")) && !Boolean.TRUE.equals(ctx.body().get("tailable"))) {
            throw io.shardstore.node.command.Errors.of(io.shardstore.protocol.ErrorCode.FailedToParse,
                "Cannot set 'awaitData' without also setting 'tailable'");
        }
        if (Boolean.TRUE.equals(ctx.body().get("tailable"))) {
            // Only the oplog is capped here (answered above); mongod refuses a tailable cursor on anything else.
            throw io.shardstore.node.command.Errors.of(io.shardstore.protocol.ErrorCode.BadValue,
                "error processing query: " + ctx.namespace() + " :: caused by :: tailable cursor requested on non capped collection");
        }
        LetVariables let = LetVariables.of(ctx.body());
        if (let != null) {
            ctx.body().put("filter", let.bindFilter(ctx.body().get("filter")));
            if (ctx.body().get("projection") != null) {
                ctx.body().put("projection", let.bindExpression(ctx.body().get("projection")));
            }
        }
        Integer batchSize = FirstBatch.batchSize(ctx.body().get("batchSize"));
        boolean emptyFirstBatch = batchSize != null && batchSize == 0;
        if (emptyFirstBatch) {
            ctx.body().remove("batchSize"); // all results in one batch, held back below
        }
        Document reply = ctx.node().storage().run(ctx.channel(), ctx.db(), ctx.name(), ctx.body());
        if (emptyFirstBatch) {
            FirstBatch.cut(ctx, reply, 0);
        }
        if (Boolean.TRUE.equals(ctx.body().get("singleBatch")) && reply.get("cursor") instanceof Document cursor
            && cursor.get("id") instanceof Number id && id.longValue() != 0) {
            ctx.node().storage().run(ctx.channel(), ctx.db(), "killCursors",
                new Document("killCursors", ctx.collectionName()).append("cursors", List.of(id.longValue())));
            cursor.put("id", 0L);
        }
        return reply;
    }
}
