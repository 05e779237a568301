package io.shardstore.node.command.auth;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.security.AuthSession;
import io.shardstore.security.AuthenticationFailed;

/** saslContinue: the client's proof checked against the stored key (nothing read: the user was found at saslStart). */
public final class SaslContinueCommand implements Command {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SaslContinueCommand.class);

    @Override
    public String name() {
        return "saslContinue";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        AuthSession auth = ctx.connection().auth();
        try {
            return BsonBridge.toDocument(auth.next(BsonBridge.toBson(ctx.body())));
        } catch (AuthenticationFailed e) {
            auth.abandon();
            log.info("authentication failed on {} from {}: {}", ctx.db(), ctx.channel() == null ? "?" : ctx.channel().remoteAddress(), e.getMessage());
            throw Errors.of(ErrorCode.AuthenticationFailed, AuthenticationFailed.CLIENT_MESSAGE);
        }
    }
}
