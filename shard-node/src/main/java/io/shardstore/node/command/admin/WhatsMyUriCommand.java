package io.shardstore.node.command.admin;

import java.net.InetSocketAddress;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/** whatsmyuri: the client's own address as the node sees it. */
public final class WhatsMyUriCommand implements Command {

    @Override
    public String name() {
        return "whatsmyuri";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        return new Document("you", remote.getAddress().getHostAddress() + ":" + remote.getPort()).append("ok", 1.0);
    }
}
