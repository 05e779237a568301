package io.shardstore.security;

import java.util.List;
import java.util.function.Function;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * One client connection's authentication: the SASL conversation under way (at most one, id 1, as mongod numbers it)
 * and the user it is authenticated as. saslStart / saslContinue (and hello's speculativeAuthenticate) run the
 * conversation here; the replies are MongoDB's, including {@code done: true} one step early when the client asked
 * for {@code skipEmptyExchange}.
 */
public final class AuthSession {
    private static final int CONVERSATION_ID = 1;

    private ScramConversation conversation;
    private boolean skipEmptyExchange;
    private volatile UserRecord user;

    /** The users this connection is authenticated as (none or one). */
    public List<UserRecord> users() {
        UserRecord u = user;
        return u == null ? List.of() : List.of(u);
    }

    public void logout() {
        user = null;
        conversation = null;
    }

    /**
     * saslStart on database {@code db}: {@code users} finds a user of that database by name (null: none). Returns the
     * reply; throws {@link AuthenticationFailed} for any failure (the caller answers code 18).
     */
    public synchronized BsonDocument start(String db, BsonDocument command, Function<String, UserRecord> users) {
        BsonValue mechanismName = command.get("mechanism");
        ScramMechanism mechanism = mechanismName != null && mechanismName.isString() ? ScramMechanism.named(mechanismName.asString().getValue()) : null;
        if (mechanism == null) {
            throw new MechanismUnavailable("Received authentication for mechanism " + (mechanismName == null ? "(none)" : mechanismName)
                + " which is unknown or not enabled");
        }
        BsonDocument options = command.isDocument("options") ? command.getDocument("options") : new BsonDocument();
        skipEmptyExchange = options.getBoolean("skipEmptyExchange", BsonBoolean.FALSE).getValue();
        conversation = new ScramConversation(mechanism, db);
        byte[] serverFirst = conversation.start(payload(command), users);
        return reply(serverFirst, false);
    }

    /** saslContinue: the client-final message (then, without skipEmptyExchange, an empty last step). */
    public synchronized BsonDocument next(BsonDocument command) {
        BsonValue id = command.get("conversationId");
        if (conversation == null || id == null || !id.isNumber() || id.asNumber().intValue() != CONVERSATION_ID) {
            throw new AuthenticationFailed("saslContinue without a conversation under way");
        }
        if (conversation.finished()) {
            // The empty last exchange of a client that did not ask to skip it.
            conversation = null;
            return reply(new byte[0], true);
        }
        byte[] serverFinal = conversation.finish(payload(command));
        UserRecord authenticated = conversation.user();
        if (user != null && !user.qualifiedName().equals(authenticated.qualifiedName())) {
            conversation = null;
            throw new AuthenticationFailed("Each client connection may only be authenticated once. Previously authenticated as: "
                + user.qualifiedName());
        }
        user = authenticated;
        if (skipEmptyExchange) {
            conversation = null;
            return reply(serverFinal, true);
        }
        return reply(serverFinal, false);
    }

    /**
     * The user name a saslStart's client-first message names (where the user must be looked up before
     * {@link #start}, e.g. on another server), or null when the message has none.
     */
    public static String userNameOf(BsonDocument command) {
        try {
            String message = new String(payload(command), java.nio.charset.StandardCharsets.UTF_8);
            for (String part : message.split(",")) {
                if (part.startsWith("n=")) {
                    return part.substring(2).replace("=2C", ",").replace("=3D", "=");
                }
            }
        } catch (AuthenticationFailed | IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /** A failed step ends the conversation: the client starts again. */
    public synchronized void abandon() {
        conversation = null;
    }

    private static byte[] payload(BsonDocument command) {
        BsonValue p = command.get("payload");
        if (p != null && p.isBinary()) {
            return p.asBinary().getData();
        }
        if (p != null && p.isString()) {
            return java.util.Base64.getDecoder().decode(p.asString().getValue());
        }
        throw new AuthenticationFailed("SASL payload missing or not binary");
    }

    private static BsonDocument reply(byte[] payload, boolean done) {
        return new BsonDocument("conversationId", new BsonInt32(CONVERSATION_ID))
            .append("done", BsonBoolean.valueOf(done))
            .append("payload", new BsonBinary(payload))
            .append("ok", new BsonDouble(1.0));
    }

    /** connectionStatus's authInfo: the authenticated users and their roles. */
    public BsonDocument authInfo() {
        BsonArray users = new BsonArray();
        BsonArray roles = new BsonArray();
        for (UserRecord u : users()) {
            users.add(new BsonDocument("user", new BsonString(u.user())).append("db", new BsonString(u.db())));
            u.roles().forEach(r -> roles.add(r.toDocument()));
        }
        return new BsonDocument("authenticatedUsers", users).append("authenticatedUserRoles", roles);
    }

    /** saslStart with an unknown mechanism: MongoDB's MechanismUnavailable (334). */
    public static final class MechanismUnavailable extends RuntimeException {
        public MechanismUnavailable(String message) {
            super(message);
        }
    }
}
