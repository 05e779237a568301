package io.shardstore.router.command.data;

import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.Route;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.topology.Routing;

/**
 * renameCollection (on admin, with full namespaces): an unsharded collection is renamed on its primary
 * shard; a sharded one cannot be renamed, as with mongos.
 */
public final class RenameCollectionCommand implements RouterCommand {

    @Override
    public String name() {
        return "renameCollection";
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        BsonValue from = request.body().get("renameCollection");
        BsonValue to = request.body().get("to");
        if (from == null || !from.isString() || to == null || !to.isString() || !from.asString().getValue().contains(".")
            || !to.asString().getValue().contains(".")) {
            throw new RouterError(ErrorCode.InvalidNamespace, "renameCollection needs full namespaces in 'renameCollection' and 'to'");
        }
        String ns = from.asString().getValue();
        String db = ns.substring(0, ns.indexOf('.'));
        String target = to.asString().getValue();
        if (!target.startsWith(db + ".")) {
            throw new RouterError(ErrorCode.CommandNotSupported, "renaming a collection across databases is not supported through the router");
        }
        return exec.catalog().routing(db, ns.substring(db.length() + 1)).thenCompose(routing -> {
            if (routing instanceof Routing.Sharded && target.equals(ns)) {
                throw new RouterError(ErrorCode.IllegalOperation, "Can't rename a collection to itself"); // mongod's check comes first
            }
            if (routing instanceof Routing.Sharded) {
                // Not 20 (IllegalOperation): the Node driver, so mongosh, turns a 20 on a write into "does not support
                // retryable writes". MongoDB 5.0+ renames sharded collections; this router does not yet.
                throw new RouterError(ErrorCode.CommandNotSupported, "renaming a sharded collection ('" + ns
                    + "') is not supported by this router");
            }
            return exec.catalog().chunkMap(target).thenCompose(targetMap -> {
                if (targetMap.isPresent()) {
                    throw new RouterError(ErrorCode.CommandNotSupported, "renaming onto a sharded collection ('" + target
                        + "') is not supported by this router");
                }
                return new Route(exec, routing.primary(), request, null, "admin.$cmd").execute();
            });
        });
    }
}
