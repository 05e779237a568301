package io.shardstore.node.command.data;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.protocol.CommandSyntax;

/**
 * A read-only command the document engine answers as it is (find, getMore, count, distinct,
 * listIndexes...). Commands that change data have classes of their own, because they journal.
 */
public final class EngineCommand implements Command {
    private final String name;
    private final CommandSyntax.Syntax options;

    public EngineCommand(String name) {
        this(name, null);
    }

    /** A command whose fields are declared ({@link Command#options()}). */
    public EngineCommand(String name, CommandSyntax.Syntax options) {
        this.name = name;
        this.options = options;
    }

    @Override
    public CommandSyntax.Syntax options() {
        return options;
    }

    @Override
    public String name() {
        return name;
    }

    /** count reads only, and so may run beside other reads. */
    @Override
    public boolean concurrentRead(CommandContext ctx) {
        return name.equals("count") && Command.outsideLocal(ctx);
    }

    @Override
    public Document run(CommandContext ctx) {
        return ctx.node().storage().run(ctx.channel(), ctx.db(), ctx.name(), ctx.body());
    }
}
