package io.shardstore.node.command.admin;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/** listCommands: the registry's names, so a client can see what this node answers. */
public final class ListCommandsCommand implements Command {

    @Override
    public String name() {
        return "listCommands";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        Document commands = new Document();
        for (String name : ctx.node().registry().names()) {
            commands.put(name, new Document("help", "").append("adminOnly", false));
        }
        return new Document("commands", commands).append("ok", 1.0);
    }
}
