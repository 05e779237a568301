package io.shardstore.router.command.auth;

import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.security.AuthSession;
import io.shardstore.security.AuthenticationFailed;
import io.shardstore.security.UserRecord;

/**
 * saslStart through the router: the user is read from the config server, then the SCRAM conversation runs here (the
 * router authenticates its clients, as mongos does). Any failure is "Authentication failed." (18).
 */
public final class SaslStart implements RouterCommand {
    private static final Logger log = LoggerFactory.getLogger(SaslStart.class);

    @Override
    public String name() {
        return "saslStart";
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        BsonDocument body = request.body();
        String name = AuthSession.userNameOf(body);
        CompletableFuture<UserRecord> user = name == null ? CompletableFuture.completedFuture(null) : ConfigUsers.find(exec, request.db(), name);
        AuthSession auth = exec.client().auth();
        return user.thenApply(found -> {
            try {
                return auth.start(request.db(), body, n -> found != null && found.user().equals(n) ? found : null);
            } catch (AuthenticationFailed e) {
                auth.abandon();
                log.info("authentication failed on {} from {}: {}", request.db(), exec.client().remote(), e.getMessage());
                throw new RouterError(ErrorCode.AuthenticationFailed, AuthenticationFailed.CLIENT_MESSAGE);
            } catch (AuthSession.MechanismUnavailable e) {
                auth.abandon();
                throw new RouterError(ErrorCode.MechanismUnavailable, e.getMessage());
            }
        });
    }
}
