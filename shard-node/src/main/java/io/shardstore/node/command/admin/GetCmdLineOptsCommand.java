package io.shardstore.node.command.admin;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.NodeOptions;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/** getCmdLineOpts: the node's command line, raw and parsed into mongod's option tree. */
public final class GetCmdLineOptsCommand implements Command {

    @Override
    public String name() {
        return "getCmdLineOpts";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        NodeOptions o = ctx.node().options();
        List<String> argv = new ArrayList<>();
        argv.add("shard-node");
        argv.addAll(o.argv());
        Document parsed = new Document("net", new Document("bindIp", o.bindIp()).append("port", o.port()));
        if (o.dbPath() != null) {
            parsed.put("storage", new Document("dbPath", o.dbPath().toString()));
        }
        if (o.replSet() != null) {
            parsed.put("replication", new Document("replSet", o.replSet()));
        }
        if (o.logPath() != null) {
            parsed.put("systemLog", new Document("destination", "file").append("path", o.logPath().toString()));
        }
        return new Document("argv", argv).append("parsed", parsed).append("ok", 1.0);
    }
}
