package io.shardstore.node.command.admin;

import java.time.Duration;
import java.time.Instant;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/** serverStatus: uptime, connections, opcounters and open cursors. Runs on the storage thread to read the cursor registry. */
public final class ServerStatusCommand implements Command {

    @Override
    public String name() {
        return "serverStatus";
    }

    @Override
    public Document run(CommandContext ctx) {
        Document engine = ctx.node().storage().backend().getServerStatus();
        Duration uptime = Duration.between(ctx.node().started(), Instant.now());
        return new Document("host", ctx.node().options().bindIp() + ":" + ctx.channel().localAddress().toString().replaceAll(".*:", ""))
            .append("version", BuildInfoCommand.VERSION)
            .append("process", "mongod")
            .append("pid", ProcessHandle.current().pid())
            .append("uptime", (double) uptime.toSeconds())
            .append("uptimeMillis", uptime.toMillis())
            .append("localTime", Instant.now())
            // current and available are 32-bit in mongod's reply; clients read them as such.
            .append("connections", connections(ctx))
            .append("opcounters", ctx.node().opCounters().toDocument())
            .append("storageEngine", new Document("name", ctx.node().storage().durable() ? "journaled-memory" : "memory")
                .append("persistent", ctx.node().storage().durable()))
            .append("metrics", engine.get("metrics"))
            .append("ok", 1.0);
    }

    /** mongod's connections section, plus what the incoming limits refused or closed ({@code IncomingLimits}). */
    private static Document connections(CommandContext ctx) {
        io.shardstore.protocol.IncomingLimits limits = ctx.node().options().incoming();
        int current = (int) ctx.node().currentConnections();
        return new Document("current", current)
            .append("available", Math.max(0, limits.maxConnections() - current))
            .append("totalCreated", ctx.node().totalConnections())
            .append("rejected", limits.refusedConnections())
            .append("incompleteMessages", new Document("heldBytes", limits.incompleteBytes())
                .append("maxHeldBytes", limits.maxIncompleteBytes())
                .append("closedOverBytes", limits.closedForBytesCount())
                .append("closedIdle", limits.closedForIdlenessCount()));
    }
}
