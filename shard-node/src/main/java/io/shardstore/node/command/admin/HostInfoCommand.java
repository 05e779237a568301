package io.shardstore.node.command.admin;

import java.time.Instant;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/** hostInfo: the machine the node runs on. */
public final class HostInfoCommand implements Command {

    @Override
    public String name() {
        return "hostInfo";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        Runtime rt = Runtime.getRuntime();
        return new Document("system", new Document("currentTime", Instant.now())
            .append("hostname", ctx.node().options().bindIp())
            .append("cpuAddrSize", 64)
            .append("memSizeMB", rt.maxMemory() / (1024 * 1024))
            .append("numCores", rt.availableProcessors())
            .append("cpuArch", System.getProperty("os.arch")))
            .append("os", new Document("type", System.getProperty("os.name")).append("version", System.getProperty("os.version")))
            .append("extra", new Document("versionString", System.getProperty("os.name") + " " + System.getProperty("os.version")))
            .append("ok", 1.0);
    }
}
