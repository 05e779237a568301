package io.shardstore.router.command.admin;

import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.gateway.ShardGateway;

/**
 * killOp through the router, as mongos: {@code op} is an opid as the router's {@code $currentOp} lists it,
 * {@code "<shard>:<opid>"}, and the shard's primary is sent {@code {killOp: 1, op: <opid>}}. The reply is success
 * whatever the shard answers (mongos's: killOp is best effort), with {@code shard} and {@code shardid} (the opid). A
 * number names an operation of the router itself; the router keeps none that can be killed, so that succeeds too.
 */
public final class KillOpCommand implements RouterCommand {

    @Override
    public String name() {
        return "killOp";
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        if (!"admin".equals(request.db())) {
            throw new RouterError(ErrorCode.Unauthorized, "killOp may only be run against the admin database.");
        }
        BsonValue op = request.value("op");
        if (op == null) {
            throw new RouterError(50759, "Location50759", "Did not provide \"op\" field");
        }
        if (op.isNumber()) {
            return CompletableFuture.completedFuture(new BsonDocument("info", new BsonString("attempting to kill op"))
                .append("ok", new BsonDouble(1)));
        }
        if (!op.isString()) {
            throw new RouterError(50760, "Location50760", "\"op\" field was of unsupported type " + op.getBsonType());
        }
        String text = op.asString().getValue();
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new RouterError(28625, "Location28625",
                "The op argument to killOp must be of the format shardid:opid but found \"" + text + "\"");
        }
        String shard = text.substring(0, colon);
        int opid;
        try {
            opid = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new RouterError(ErrorCode.FailedToParse, "the opid of \"" + text + "\" is not a number that fits in an int");
        }
        return exec.catalog().shards().thenCompose(shards -> {
            if (!shard.equals(ShardGateway.CONFIG) && !shards.containsKey(shard)) {
                throw new RouterError(ErrorCode.ShardNotFound, "Shard " + shard + " not found");
            }
            BsonDocument kill = new BsonDocument("killOp", new BsonInt32(1)).append("op", new BsonInt32(opid))
                .append("$db", new BsonString("admin"));
            // The shard's answer is not the client's: mongos reports success whatever it says.
            return exec.gateway().command(shard, kill).handle((reply, failure) -> new BsonDocument("shard", new BsonString(shard))
                .append("shardid", new BsonInt32(opid)).append("ok", new BsonDouble(1)));
        });
    }
}
