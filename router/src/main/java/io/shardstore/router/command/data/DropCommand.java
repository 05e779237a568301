package io.shardstore.router.command.data;

import java.util.LinkedHashSet;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonString;

import io.shardstore.router.command.Replies;
import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.command.RouterError;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.Scatter;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.gateway.ShardGateway;

/**
 * drop / dropDatabase: the data goes on every shard (a collection may have left pieces anywhere), then the
 * config server forgets its sharding metadata and this router its cached routing.
 */
public final class DropCommand implements RouterCommand {
    private final boolean database;

    public DropCommand(boolean database) {
        this.database = database;
    }

    @Override
    public String name() {
        return database ? "dropDatabase" : "drop";
    }

    /**
     * A collection being resharded is released first (abortReshardCollection, waited for): otherwise the resharding
     * would copy from a dropped collection, or commit its copy over the drop. Once the resharding has decided to commit
     * (340), the drop is refused for the moment (ConflictingOperationInProgress): it commits within seconds.
     */
    private static CompletableFuture<Void> stopResharding(Exec exec, String ns) {
        if (ns == null) {
            return CompletableFuture.completedFuture(null);
        }
        return exec.gateway().command(ShardGateway.CONFIG, new BsonDocument("abortReshardCollection", new BsonString(ns))
            .append("$db", new BsonString("admin"))).thenApply(reply -> {
                int code = reply.isNumber("code") ? reply.getNumber("code").intValue() : 0;
                if (Replies.isOk(reply) || code == ErrorCode.NoSuchReshardCollection.code()) {
                    return null;
                }
                if (code == ErrorCode.ReshardCollectionCommitted.code()) {
                    throw new RouterError(ErrorCode.ConflictingOperationInProgress, ns + " is being resharded and the new key "
                        + "is being committed: drop it again in a few seconds");
                }
                throw RouterError.fromReply(reply);
            });
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        String db = request.db();
        if (db.equals("config") || db.equals("admin") || db.equals("local")) {
            throw new RouterError(ErrorCode.IllegalOperation, "cannot drop in the " + db + " database through the router");
        }
        String coll = database ? null : request.collection();
        if (!database && (coll == null || coll.isEmpty())) {
            throw new RouterError(ErrorCode.InvalidNamespace, "collection name has invalid type");
        }
        BsonDocument command = request.command();
        return stopResharding(exec, database ? null : db + "." + coll)
            .thenCompose(stopped -> exec.catalog().shards())
            .thenCompose(shards -> Scatter.send(exec, new LinkedHashSet<>(shards.keySet()), command, null))
            .thenCompose(replies -> {
                BsonDocument forget = database
                    ? new BsonDocument("_configsvrDropDatabase", new BsonString(db))
                    : new BsonDocument("_configsvrDropCollection", new BsonString(db + "." + coll));
                return exec.gateway().command(ShardGateway.CONFIG, forget.append("$db", new BsonString("admin")));
            })
            .thenApply(reply -> {
                Replies.check(reply);
                if (database) {
                    exec.catalog().invalidateDatabase(db);
                    return new BsonDocument("dropped", new BsonString(db)).append("ok", new BsonDouble(1.0));
                }
                exec.catalog().refresh(db + "." + coll);
                return new BsonDocument("ns", new BsonString(db + "." + coll)).append("ok", new BsonDouble(1.0));
            });
    }
}
