package io.shardstore.node.command.data;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/**
 * A read-only command the document engine answers as it is (find, getMore, count, distinct,
 * listIndexes...). Commands that change data have classes of their own, because they journal.
 */
public final class EngineCommand implements Command {
    private final String name;

    public EngineCommand(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Document run(CommandContext ctx) {
        return ctx.node().storage().run(ctx.channel(), ctx.db(), ctx.name(), ctx.body());
    }
}
