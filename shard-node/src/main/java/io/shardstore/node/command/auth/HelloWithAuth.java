package io.shardstore.node.command.auth;

import java.util.ArrayList;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.security.AuthSession;
import io.shardstore.security.AuthenticationFailed;
import io.shardstore.security.UserRecord;

/**
 * A handshake hello that asks about authentication: {@code saslSupportedMechs} (the mechanisms the named user has
 * credentials for) and {@code speculativeAuthenticate} (the first SCRAM step, saving the client a round trip). The
 * user is read from storage, so this hello runs on the storage thread, not inline like the others; a speculative step
 * that fails is left out of the reply, as mongod does, and the driver then authenticates with saslStart.
 */
public final class HelloWithAuth implements Command {
    private final Command hello;

    public HelloWithAuth(Command hello) {
        this.hello = hello;
    }

    /** Whether a hello asks about authentication. */
    public static boolean asked(CommandContext ctx) {
        return ctx.body().get("speculativeAuthenticate") instanceof Document || ctx.body().get("saslSupportedMechs") instanceof String;
    }

    @Override
    public String name() {
        return hello.name();
    }

    @Override
    public Document run(CommandContext ctx) {
        Document reply = hello.run(ctx);
        Object ok = reply.remove("ok");
        if (ctx.body().get("saslSupportedMechs") instanceof String qualified && qualified.indexOf('.') > 0) {
            UserRecord user = lookup(ctx, qualified.substring(0, qualified.indexOf('.')), qualified.substring(qualified.indexOf('.') + 1));
            if (user != null) {
                reply.put("saslSupportedMechs", new ArrayList<>(user.mechanisms()));
            }
        }
        if (ctx.body().get("speculativeAuthenticate") instanceof Document start && ctx.connection() != null) {
            String db = start.get("db") instanceof String d ? d : ctx.db();
            AuthSession auth = ctx.connection().auth();
            try {
                Document first = BsonBridge.toDocument(auth.start(db, BsonBridge.toBson(start), name -> lookup(ctx, db, name)));
                first.remove("ok");
                reply.put("speculativeAuthenticate", first);
            } catch (AuthenticationFailed | AuthSession.MechanismUnavailable e) {
                auth.abandon();
            }
        }
        if (ok != null) {
            reply.put("ok", ok);
        }
        return reply;
    }

    private static UserRecord lookup(CommandContext ctx, String db, String user) {
        UserRecord internal = ctx.node().options().security().internalUser(db, user);
        return internal != null ? internal : Users.find(ctx.node().storage(), db, user);
    }
}
