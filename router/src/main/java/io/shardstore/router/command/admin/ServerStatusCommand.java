package io.shardstore.router.command.admin;

import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;

import io.shardstore.router.engine.Exec;
import io.shardstore.router.frontend.RouterRequest;

/** serverStatus of the router itself (process "mongos"): connections, commands, open router cursors, shard pools. */
public final class ServerStatusCommand extends LocalCommand {

    @Override
    public String name() {
        return "serverStatus";
    }

    @Override
    protected BsonDocument answer(RouterRequest request, Exec exec) {
        long uptime = (System.currentTimeMillis() - exec.router().started().toEpochMilli());
        return new BsonDocument("host", new BsonString(exec.router().options().bindIp() + ":" + exec.router().options().port()))
            .append("version", new BsonString(BuildInfo.VERSION))
            .append("process", new BsonString("mongos"))
            .append("pid", new BsonInt64(ProcessHandle.current().pid()))
            .append("uptime", new BsonDouble(uptime / 1000.0))
            .append("uptimeMillis", new BsonInt64(uptime))
            .append("localTime", new BsonDateTime(System.currentTimeMillis()))
            .append("connections", connections(exec))
            .append("opcounters", exec.router().opcounters())
            .append("metrics", new BsonDocument("cursor", new BsonDocument("open", new BsonDocument("total", new BsonInt64(exec.cursors().size())))))
            .append("shardPools", new BsonDocument("hosts", new BsonInt32(exec.gateway().poolCount()))
                .append("repliesForwarded", new BsonInt64(exec.router().repliesForwarded())))
            .append("ok", new BsonDouble(1.0));
    }

    /** mongos's connections section, plus what the incoming limits refused or closed ({@code IncomingLimits}). */
    private static BsonDocument connections(Exec exec) {
        io.shardstore.protocol.IncomingLimits limits = exec.router().options().incoming();
        int current = (int) exec.router().currentConnections();
        return new BsonDocument("current", new BsonInt32(current))
            .append("available", new BsonInt32(Math.max(0, limits.maxConnections() - current)))
            .append("totalCreated", new BsonInt64(exec.router().totalConnections()))
            .append("rejected", new BsonInt64(limits.refusedConnections()))
            .append("incompleteMessages", new BsonDocument("heldBytes", new BsonInt64(limits.incompleteBytes()))
                .append("maxHeldBytes", new BsonInt64(limits.maxIncompleteBytes()))
                .append("closedOverBytes", new BsonInt64(limits.closedForBytesCount()))
                .append("closedIdle", new BsonInt64(limits.closedForIdlenessCount())));
    }
}
