package io.shardstore.router.command.auth;

import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.SingleShard;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.gateway.ShardGateway;

/**
 * createUser, updateUser, dropUser, dropAllUsersFromDatabase, grantRolesToUser, revokeRolesFromUser and usersInfo:
 * a cluster's users live on the config server, which runs these as a node does. The localhost exception is decided
 * here for the cluster: an anonymous client may create a user only while the config server has none.
 */
public final class UserAdminForward implements RouterCommand {
    private final String name;

    public UserAdminForward(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        if (name.equals("createUser") && exec.router().options().security().auth() && exec.client().auth().users().isEmpty()) {
            return ConfigUsers.any(exec).thenCompose(any -> any
                ? CompletableFuture.failedFuture(new RouterError(ErrorCode.Unauthorized, "command createUser requires authentication"))
                : forward(request, exec));
        }
        return forward(request, exec);
    }

    private static CompletableFuture<BsonDocument> forward(RouterRequest request, Exec exec) {
        return SingleShard.forward(exec, ShardGateway.CONFIG, request, null, request.db() + ".$cmd");
    }
}
