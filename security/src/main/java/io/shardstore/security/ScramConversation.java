package io.shardstore.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.Function;

/**
 * The server's side of one SCRAM exchange (RFC 5802): {@link #start} takes the client-first message and answers the
 * server-first one (the user's salt and iteration count, the nonce extended with the server's part); {@link #finish}
 * takes the client-final message, checks its proof against the stored key and answers the server signature, which
 * proves to the client that the server knows the user's key too. No channel binding (MongoDB uses none).
 */
public final class ScramConversation {
    private final ScramMechanism mechanism;
    private final String db;
    private UserRecord user;
    private ScramCredential credential;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private boolean finished;

    private final java.util.function.Supplier<String> serverNonce;

    public ScramConversation(ScramMechanism mechanism, String db) {
        this(mechanism, db, () -> Base64.getEncoder().encodeToString(ScramMechanism.randomBytes(24)));
    }

    /** With a given server nonce: the RFC's test vectors. */
    ScramConversation(ScramMechanism mechanism, String db, java.util.function.Supplier<String> serverNonce) {
        this.mechanism = mechanism;
        this.db = db;
        this.serverNonce = serverNonce;
    }

    public ScramMechanism mechanism() {
        return mechanism;
    }

    /** The authenticated user once {@link #finish} succeeded. */
    public UserRecord user() {
        return finished ? user : null;
    }

    public boolean finished() {
        return finished;
    }

    /** Reads the client-first message; the user comes from {@code users} (null: no such user). Returns server-first. */
    public byte[] start(byte[] payload, Function<String, UserRecord> users) {
        String message = new String(payload, StandardCharsets.UTF_8);
        if (!message.startsWith("n,") && !message.startsWith("y,")) {
            throw new AuthenticationFailed("SCRAM: channel binding is not supported (client-first '" + message + "')");
        }
        int bare = message.indexOf(',', 2);
        if (bare < 0 || bare != 2 && !message.startsWith("a=", 2)) {
            throw new AuthenticationFailed("SCRAM: malformed client-first message");
        }
        clientFirstBare = message.substring(bare + 1);
        String name = null;
        String clientNonce = null;
        for (String part : clientFirstBare.split(",")) {
            if (part.startsWith("n=")) {
                name = part.substring(2).replace("=2C", ",").replace("=3D", "=");
            } else if (part.startsWith("r=")) {
                clientNonce = part.substring(2);
            } else if (part.startsWith("m=")) {
                throw new AuthenticationFailed("SCRAM: mandatory extensions are not supported");
            }
        }
        if (name == null || clientNonce == null || clientNonce.isEmpty()) {
            throw new AuthenticationFailed("SCRAM: client-first message without a user name or nonce");
        }
        user = users.apply(name);
        if (user == null) {
            throw new AuthenticationFailed("SCRAM: no user " + name + " in database " + db);
        }
        credential = user.credential(mechanism);
        if (credential == null) {
            throw new AuthenticationFailed("SCRAM: user " + user.qualifiedName() + " has no " + mechanism.mechanismName() + " credentials");
        }
        nonce = clientNonce + serverNonce.get();
        serverFirst = "r=" + nonce + ",s=" + credential.salt() + ",i=" + credential.iterationCount();
        return serverFirst.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads the client-final message and checks its proof; returns the server-final message ({@code v=...}). */
    public byte[] finish(byte[] payload) {
        if (serverFirst == null || finished) {
            throw new AuthenticationFailed("SCRAM: client-final message out of turn");
        }
        String message = new String(payload, StandardCharsets.UTF_8);
        int proofAt = message.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw new AuthenticationFailed("SCRAM: client-final message without a proof");
        }
        String withoutProof = message.substring(0, proofAt);
        String channelBinding = null;
        String finalNonce = null;
        for (String part : withoutProof.split(",")) {
            if (part.startsWith("c=")) {
                channelBinding = part.substring(2);
            } else if (part.startsWith("r=")) {
                finalNonce = part.substring(2);
            }
        }
        if (!"biws".equals(channelBinding) && !"eSws".equals(channelBinding)) {
            throw new AuthenticationFailed("SCRAM: unexpected channel binding " + channelBinding);
        }
        if (!nonce.equals(finalNonce)) {
            throw new AuthenticationFailed("SCRAM: the nonce does not match");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            throw new AuthenticationFailed("SCRAM: the proof is not base64");
        }
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] storedKey = Base64.getDecoder().decode(credential.storedKey());
        byte[] clientSignature = mechanism.hmac(storedKey, authMessage);
        if (proof.length != clientSignature.length) {
            throw new AuthenticationFailed("SCRAM: wrong proof length for user " + user.qualifiedName());
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(mechanism.hash(clientKey), storedKey)) {
            throw new AuthenticationFailed("SCRAM: wrong proof (password) for user " + user.qualifiedName());
        }
        finished = true;
        byte[] serverSignature = mechanism.hmac(Base64.getDecoder().decode(credential.serverKey()), authMessage);
        return ("v=" + Base64.getEncoder().encodeToString(serverSignature)).getBytes(StandardCharsets.UTF_8);
    }
}
