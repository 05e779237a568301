package io.shardstore.node.command.admin;

import java.util.ArrayList;
import java.time.Instant;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.protocol.Compressor;
import io.shardstore.protocol.WireLimits;

/** hello / isMaster: the handshake, answered as a standalone mongod 7.0 answers it. */
public final class HelloCommand implements Command {

    @Override
    public String name() {
        return "hello";
    }

    @Override
    public List<String> aliases() {
        return List.of("isMaster", "ismaster");
    }

    @Override
    public boolean inline() {
        return true;
    }

    /** A hello that asks about authentication reads the user from storage: it is answered on the storage thread. */
    @Override
    public Command forRequest(io.shardstore.node.command.CommandContext ctx) {
        return io.shardstore.node.command.auth.HelloWithAuth.asked(ctx) ? new io.shardstore.node.command.auth.HelloWithAuth(this) : this;
    }

    @Override
    public long replyDelayMillis(CommandContext ctx) {
        // Awaitable hello: the topology of a standalone never changes, so wait the whole maxAwaitTimeMS.
        if (ctx.body().get("topologyVersion") instanceof Document tv && ctx.node().processId().equals(tv.get("processId"))
            && ctx.body().get("maxAwaitTimeMS") instanceof Number wait && counter(ctx) == asLong(tv.get("counter"))) {
            return Math.max(0, Math.min(wait.longValue(), 60_000));
        }
        return 0;
    }

    /** A replica-set member answers a held hello as soon as its state, primary or config changes. */
    @Override
    public java.util.concurrent.CompletableFuture<?> wakeUp(CommandContext ctx) {
        return ctx.node().replication() == null ? null : ctx.node().replication().topologyChange();
    }

    private static long counter(CommandContext ctx) {
        return ctx.node().replication() == null ? 0L : ctx.node().replication().topologyCounter();
    }

    private static long asLong(Object value) {
        return value instanceof Number n ? n.longValue() : -1;
    }

    @Override
    public Document run(CommandContext ctx) {
        Document reply = new Document();
        String primaryField = ctx.name().equals("hello") ? "isWritablePrimary" : "ismaster";
        if (ctx.node().replication() != null) {
            io.shardstore.node.replication.HelloFields.add(reply, primaryField, ctx.node().replication());
        } else {
            reply.put(primaryField, true);
        }
        if (Boolean.TRUE.equals(ctx.body().get("helloOk"))) {
            reply.put("helloOk", true);
        }
        reply.put("topologyVersion", new Document("processId", ctx.node().processId()).append("counter", counter(ctx)));
        reply.put("maxBsonObjectSize", WireLimits.MAX_BSON_OBJECT_SIZE);
        reply.put("maxMessageSizeBytes", WireLimits.MAX_MESSAGE_SIZE_BYTES);
        reply.put("maxWriteBatchSize", WireLimits.MAX_WRITE_BATCH_SIZE);
        reply.put("localTime", Instant.now());
        reply.put("logicalSessionTimeoutMinutes", 30);
        reply.put("connectionId", (int) ctx.connection().connectionId());
        reply.put("minWireVersion", WireLimits.MIN_WIRE_VERSION);
        reply.put("maxWireVersion", WireLimits.MAX_WIRE_VERSION);
        reply.put("readOnly", false);
        if (ctx.body().get("client") instanceof Document client && client.get("application") instanceof Document app
            && app.get("name") instanceof String appName) {
            ctx.connection().appName(appName);
        }
        if (ctx.body().get("compression") instanceof List<?> requested) {
            List<Compressor> agreed = new ArrayList<>();
            for (Object name : requested) {
                Compressor c = name instanceof String s ? Compressor.byName(s) : null;
                if (c != null && c != Compressor.NOOP && !agreed.contains(c)) {
                    agreed.add(c);
                }
            }
            ctx.connection().negotiated(agreed);
            if (!agreed.isEmpty()) {
                reply.put("compression", agreed.stream().map(Compressor::wireName).toList());
            }
        }
        reply.put("ok", 1.0);
        return reply;
    }
}
