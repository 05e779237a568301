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
    public Document run(CommandContext ctx) {
        validate(ctx);
        LetVariables let = LetVariables.of(ctx.body());
        if (let != null) {
            java.util.List<Document> bound = new java.util.ArrayList<>();
            for (Object statement : (java.util.List<?>) ctx.body().get("deletes")) {
                Document copy = new Document((Document) statement);
                copy.put("q", let.bindFilter(copy.get("q")));
                bound.add(copy);
            }
            ctx.body().put("deletes", bound);
        }
        return ctx.node().storage().run(ctx.channel(), ctx.db(), "delete", ctx.body());
    }
}
