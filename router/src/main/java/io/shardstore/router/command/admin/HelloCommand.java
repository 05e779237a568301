package io.shardstore.router.command.admin;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.protocol.Compressor;
import io.shardstore.protocol.WireLimits;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.frontend.RouterRequest;

/** hello / isMaster as mongos answers: {@code msg: "isdbgrid"}, so drivers and mongosh know they talk to a router. */
public final class HelloCommand extends LocalCommand {

    @Override
    public java.util.concurrent.CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        BsonDocument body = request.body();
        // Awaitable hello (a driver's streaming monitor): nothing changes in a router's topology, so answer
        // after maxAwaitTimeMS instead of at once, which would have the driver ask again at once.
        if (body.isDocument("topologyVersion") && body.isNumber("maxAwaitTimeMS")
            && body.getDocument("topologyVersion").get("processId", org.bson.BsonNull.VALUE)
                .equals(new BsonObjectId(exec.router().processId()))) {
            long wait = Math.max(0, Math.min(body.getNumber("maxAwaitTimeMS").longValue(), 60_000));
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> answer(request, exec),
                java.util.concurrent.CompletableFuture.delayedExecutor(wait, java.util.concurrent.TimeUnit.MILLISECONDS));
        }
        if (io.shardstore.router.command.auth.SpeculativeAuth.asked(body)) {
            return io.shardstore.router.command.auth.SpeculativeAuth.add(answer(request, exec), request, exec);
        }
        return super.run(request, exec);
    }

    @Override
    public String name() {
        return "hello";
    }

    @Override
    public List<String> aliases() {
        return List.of("isMaster", "ismaster");
    }

    @Override
    protected BsonDocument answer(RouterRequest request, Exec exec) {
        BsonDocument body = request.body();
        BsonDocument reply = new BsonDocument(request.name().equals("hello") ? "isWritablePrimary" : "ismaster", BsonBoolean.TRUE);
        reply.append("msg", new BsonString("isdbgrid"));
        if (body.getBoolean("helloOk", BsonBoolean.FALSE).getValue()) {
            reply.append("helloOk", BsonBoolean.TRUE);
        }
        reply.append("topologyVersion", new BsonDocument("processId", new BsonObjectId(exec.router().processId()))
            .append("counter", new BsonInt64(0)));
        reply.append("maxBsonObjectSize", new BsonInt32(WireLimits.MAX_BSON_OBJECT_SIZE))
            .append("maxMessageSizeBytes", new BsonInt32(WireLimits.MAX_MESSAGE_SIZE_BYTES))
            .append("maxWriteBatchSize", new BsonInt32(WireLimits.MAX_WRITE_BATCH_SIZE))
            .append("localTime", new BsonDateTime(System.currentTimeMillis()))
            .append("logicalSessionTimeoutMinutes", new BsonInt32(30))
            .append("connectionId", new BsonInt32((int) exec.client().connectionId()))
            .append("minWireVersion", new BsonInt32(WireLimits.MIN_WIRE_VERSION))
            .append("maxWireVersion", new BsonInt32(WireLimits.MAX_WIRE_VERSION))
            .append("readOnly", BsonBoolean.FALSE);
        if (body.isDocument("client") && body.getDocument("client").isDocument("application")
            && body.getDocument("client").getDocument("application").isString("name") && exec.client() != null) {
            exec.client().appName(body.getDocument("client").getDocument("application").getString("name").getValue());
        }
        if (body.isArray("compression")) {
            List<Compressor> agreed = new ArrayList<>();
            for (BsonValue v : body.getArray("compression")) {
                Compressor c = v.isString() ? Compressor.byName(v.asString().getValue()) : null;
                if (c != null && c != Compressor.NOOP && !agreed.contains(c)) {
                    agreed.add(c);
                }
            }
            exec.client().negotiated(agreed);
            if (!agreed.isEmpty()) {
                BsonArray names = new BsonArray();
                agreed.forEach(c -> names.add(new BsonString(c.wireName())));
                reply.append("compression", names);
            }
        }
        return reply.append("ok", new BsonDouble(1.0));
    }
}
