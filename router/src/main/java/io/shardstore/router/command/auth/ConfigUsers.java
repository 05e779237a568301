package io.shardstore.router.command.auth;

import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.router.engine.Exec;
import io.shardstore.router.gateway.ShardGateway;
import io.shardstore.security.UserRecord;

/**
 * A sharded cluster's users are the config server's ({@code admin.system.users} there, as on mongos): read through
 * the gateway, so a login never blocks an event loop and follows the config set's primary. {@code __system@local}
 * is the cluster's key file's.
 */
final class ConfigUsers {
    private ConfigUsers() {
    }

    /** The user {@code db.user}, or null. */
    static CompletableFuture<UserRecord> find(Exec exec, String db, String user) {
        UserRecord internal = exec.router().options().security().internalUser(db, user);
        if (internal != null) {
            return CompletableFuture.completedFuture(internal); // __system@local: the cluster's key, not a stored user
        }
        return first(exec, new BsonDocument("_id", new BsonString(db + "." + user)))
            .thenApply(doc -> doc == null ? null : UserRecord.of(doc));
    }

    /** Whether any user exists (the localhost exception ends with the first). */
    static CompletableFuture<Boolean> any(Exec exec) {
        return first(exec, new BsonDocument()).thenApply(doc -> doc != null);
    }

    private static CompletableFuture<BsonDocument> first(Exec exec, BsonDocument filter) {
        BsonDocument find = new BsonDocument("find", new BsonString("system.users")).append("filter", filter)
            .append("limit", new BsonInt32(1)).append("$db", new BsonString("admin"));
        return exec.gateway().command(ShardGateway.CONFIG, find).thenApply(reply -> {
            BsonValue cursor = reply.get("cursor");
            if (cursor == null || !cursor.isDocument()) {
                throw new IllegalStateException("the config server did not answer the users' find: " + reply.toJson());
            }
            var batch = cursor.asDocument().getArray("firstBatch");
            return batch.isEmpty() ? null : batch.get(0).asDocument();
        });
    }
}
