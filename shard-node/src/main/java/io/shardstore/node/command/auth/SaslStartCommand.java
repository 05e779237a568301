package io.shardstore.node.command.auth;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.security.AuthSession;
import io.shardstore.security.AuthenticationFailed;

/**
 * saslStart (SCRAM-SHA-1 / SCRAM-SHA-256): the user is looked up in admin.system.users, on the storage thread.
 * Every failure answers "Authentication failed." (18) and is logged with its reason.
 */
public final class SaslStartCommand implements Command {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SaslStartCommand.class);

    @Override
    public String name() {
        return "saslStart";
    }

    @Override
    public Document run(CommandContext ctx) {
        AuthSession auth = ctx.connection().auth();
        try {
            return BsonBridge.toDocument(auth.start(ctx.db(), BsonBridge.toBson(ctx.body()),
                user -> {
                    io.shardstore.security.UserRecord internal = ctx.node().options().security().internalUser(ctx.db(), user);
                    return internal != null ? internal : Users.find(ctx.node().storage(), ctx.db(), user);
                }));
        } catch (AuthenticationFailed e) {
            auth.abandon();
            log.info("authentication failed on {} from {}: {}", ctx.db(), ctx.channel() == null ? "?" : ctx.channel().remoteAddress(), e.getMessage());
            throw Errors.of(ErrorCode.AuthenticationFailed, AuthenticationFailed.CLIENT_MESSAGE);
        } catch (AuthSession.MechanismUnavailable e) {
            auth.abandon();
            throw Errors.of(ErrorCode.MechanismUnavailable, e.getMessage());
        }
    }
}
