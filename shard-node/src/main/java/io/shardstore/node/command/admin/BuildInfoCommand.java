package io.shardstore.node.command.admin;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.protocol.WireLimits;

/** buildInfo: the MongoDB version this node speaks, which mongosh and drivers read to pick features. */
public final class BuildInfoCommand implements Command {
    public static final String VERSION = "7.0.14";

    @Override
    public String name() {
        return "buildInfo";
    }

    @Override
    public List<String> aliases() {
        return List.of("buildinfo");
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        return new Document("version", VERSION)
            .append("gitVersion", "shardstore")
            .append("versionArray", List.of(7, 0, 14, 0))
            .append("modules", List.of())
            .append("allocator", "system")
            .append("javascriptEngine", "none")
            .append("sysInfo", "deprecated")
            .append("bits", 64)
            .append("debug", false)
            .append("maxBsonObjectSize", WireLimits.MAX_BSON_OBJECT_SIZE)
            .append("storageEngines", List.of("memory", "journaled-memory"))
            .append("openssl", new Document("running", "disabled"))
            .append("buildEnvironment", new Document("target_os", System.getProperty("os.name"))
                .append("target_arch", System.getProperty("os.arch")))
            .append("ok", 1.0);
    }
}
