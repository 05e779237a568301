package io.shardstore.node.command.admin;


import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/** hostInfo: the machine the node runs on ({@link io.shardstore.engine.HostInfo}, shared with the router). */
public final class HostInfoCommand implements Command {

    @Override
    public String name() {
        return "hostInfo";
    }

    @Override
    public boolean inline() {
        return true; // the machine was read once at start (HostInfo)
    }

    @Override
    public Document run(CommandContext ctx) {
        return io.shardstore.engine.HostInfo.reply();
    }
}
