package io.shardstore.node.command.admin;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/** getLog: mongosh reads startupWarnings on connect; this node has none to report. */
public final class GetLogCommand implements Command {

    @Override
    public String name() {
        return "getLog";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        Object which = ctx.body().get("getLog");
        if ("*".equals(which)) {
            return new Document("names", List.of("global", "startupWarnings")).append("ok", 1.0);
        }
        if ("global".equals(which) || "startupWarnings".equals(which)) {
            return new Document("totalLinesWritten", 0).append("log", List.of()).append("ok", 1.0);
        }
        throw Errors.of(ErrorCode.InvalidOptions, "No log named '" + which + "'");
    }
}
