package io.shardstore.node.command.data;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.protocol.CommandSyntax;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/** delete: each statement removes one ({@code limit: 1}) or all ({@code limit: 0}) matching documents. */
public final class DeleteCommand implements Command {

    @Override
    public CommandSyntax.Syntax options() {
        return CommandSyntax.of("delete");
    }

    @Override
    public String name() {
        return "delete";
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public void validate(CommandContext ctx) {
        for (Object statement : WriteBatch.validate(ctx, "deletes")) {
            Object limit = ((Document) statement).get("limit");
            if (!(limit instanceof Number n) || (n.doubleValue() != 0 && n.doubleValue() != 1)) {
                throw Errors.of(ErrorCode.FailedToParse, "The limit field in delete objects must be 0 or 1. Got " + limit);
            }
        }
    }

    @Override
    /**
     * Statement by statement, as mongod: a statement that fails (a filter the engine cannot parse, say) is a write
     * error at its index, and an ordered batch stops there while an unordered one goes on; the engine, given the
     * whole batch, failed the whole command instead.
     */
    public Document run(CommandContext ctx) {
        validate(ctx);
        LetVariables let = LetVariables.of(ctx.body());
        boolean ordered = !Boolean.FALSE.equals(ctx.body().get("ordered"));
        java.util.List<?> statements = (java.util.List<?>) ctx.body().get("deletes");
        int n = 0;
        java.util.List<Document> writeErrors = new java.util.ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            Document statement = new Document((Document) statements.get(i));
            if (let != null) {
                statement.put("q", let.bindFilter(statement.get("q")));
            }
            Document single = new Document(ctx.body());
            single.put("deletes", java.util.List.of(statement));
            single.put("ordered", true);
            try {
                Document reply = ctx.node().storage().run(ctx.channel(), ctx.db(), "delete", single);
                n += ((Number) reply.get("n")).intValue();
                UpdateBatch.renumber(reply.get("writeErrors"), i, writeErrors);
            } catch (de.bwaldvogel.mongo.exception.MongoServerException e) {
                writeErrors.add(UpdateBatch.writeError(i, e));
            }
            if (ordered && !writeErrors.isEmpty()) {
                break;
            }
        }
        Document reply = new Document("n", n);
        if (!writeErrors.isEmpty()) {
            reply.put("writeErrors", writeErrors);
        }
        return reply;
    }
}
