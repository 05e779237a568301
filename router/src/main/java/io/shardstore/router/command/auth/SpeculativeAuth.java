package io.shardstore.router.command.auth;

import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;

import io.shardstore.router.engine.Exec;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.security.AuthSession;
import io.shardstore.security.AuthenticationFailed;

/**
 * What hello adds for authentication (the drivers' handshake): {@code saslSupportedMechs} for the user named in the
 * request (so the driver picks SCRAM-SHA-256 when the user has it) and the first SCRAM step of a
 * {@code speculativeAuthenticate}, which saves the client a round trip. A speculative step that fails is left out of
 * the reply, as mongod does: the driver then authenticates with saslStart and gets the real error.
 */
public final class SpeculativeAuth {
    private SpeculativeAuth() {
    }

    public static boolean asked(BsonDocument body) {
        return body.isDocument("speculativeAuthenticate") || body.isString("saslSupportedMechs");
    }

    public static CompletableFuture<BsonDocument> add(BsonDocument reply, RouterRequest request, Exec exec) {
        BsonDocument body = request.body();
        CompletableFuture<BsonDocument> out = CompletableFuture.completedFuture(reply);
        if (body.isString("saslSupportedMechs")) {
            String qualified = body.getString("saslSupportedMechs").getValue();
            int dot = qualified.indexOf('.');
            if (dot > 0) {
                out = out.thenCompose(r -> ConfigUsers.find(exec, qualified.substring(0, dot), qualified.substring(dot + 1)).handle((user, failure) -> {
                    if (user != null) {
                        BsonArray mechanisms = new BsonArray();
                        user.mechanisms().forEach(m -> mechanisms.add(new BsonString(m)));
                        insertBeforeOk(r, "saslSupportedMechs", mechanisms);
                    }
                    return r;
                }));
            }
        }
        if (body.isDocument("speculativeAuthenticate")) {
            BsonDocument start = body.getDocument("speculativeAuthenticate");
            String db = start.isString("db") ? start.getString("db").getValue() : request.db();
            String name = AuthSession.userNameOf(start);
            if (name != null) {
                AuthSession auth = exec.client().auth();
                out = out.thenCompose(r -> ConfigUsers.find(exec, db, name).handle((user, failure) -> {
                    if (user == null) {
                        return r;
                    }
                    try {
                        BsonDocument first = auth.start(db, start, n -> n.equals(user.user()) ? user : null);
                        first.remove("ok");
                        insertBeforeOk(r, "speculativeAuthenticate", first);
                    } catch (AuthenticationFailed | AuthSession.MechanismUnavailable e) {
                        auth.abandon();
                    }
                    return r;
                }));
            }
        }
        return out;
    }

    private static void insertBeforeOk(BsonDocument reply, String key, org.bson.BsonValue value) {
        org.bson.BsonValue ok = reply.remove("ok");
        reply.append(key, value);
        if (ok != null) {
            reply.append("ok", ok);
        }
    }
}
