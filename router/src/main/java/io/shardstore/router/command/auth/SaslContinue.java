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

/** saslContinue: the client's proof checked here against the stored key read at saslStart. */
public final class SaslContinue implements RouterCommand {
    private static final Logger log = LoggerFactory.getLogger(SaslContinue.class);

    @Override
    public String name() {
        return "saslContinue";
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        AuthSession auth = exec.client().auth();
        try {
            return CompletableFuture.completedFuture(auth.next(request.body()));
        } catch (AuthenticationFailed e) {
            auth.abandon();
            log.info("authentication failed on {} from {}: {}", request.db(), exec.client().remote(), e.getMessage());
            return CompletableFuture.failedFuture(new RouterError(ErrorCode.AuthenticationFailed, AuthenticationFailed.CLIENT_MESSAGE));
        }
    }
}
