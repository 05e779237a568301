package io.shardstore.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The client's side of SCRAM, for this project's own connections between processes (a router's pooled shard
 * connections, a member's replication client) when they log in as {@code __system} with the cluster's key. Drivers
 * have their own; this one is needed where the connection is ours, not a driver's.
 */
public final class ScramClient {
    private final ScramMechanism mechanism;
    private final String user;
    private final String password;
    private final String clientNonce;
    private String clientFirstBare;
    private byte[] serverSignature;

    public ScramClient(ScramMechanism mechanism, String user, String password) {
        this.mechanism = mechanism;
        this.user = user;
        this.password = password;
        this.clientNonce = Base64.getEncoder().encodeToString(ScramMechanism.randomBytes(24));
    }

    public ScramMechanism mechanism() {
        return mechanism;
    }

    /** The client-first message (the payload of saslStart). */
    public byte[] first() {
        clientFirstBare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    /** The client-final message for the server-first one (saslContinue's payload). */
    public byte[] finalMessage(byte[] serverFirstBytes) {
        String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
        String nonce = null;
        String salt = null;
        int iterations = 0;
        for (String part : serverFirst.split(",")) {
            if (part.startsWith("r=")) {
                nonce = part.substring(2);
            } else if (part.startsWith("s=")) {
                salt = part.substring(2);
            } else if (part.startsWith("i=")) {
                iterations = Integer.parseInt(part.substring(2));
            }
        }
        if (nonce == null || !nonce.startsWith(clientNonce) || salt == null || iterations < 4096) {
            throw new AuthenticationFailed("SCRAM: the server's first message is not acceptable: " + serverFirst);
        }
        byte[] salted = salted(Base64.getDecoder().decode(salt), iterations);
        byte[] clientKey = mechanism.hmac(salted, "Client Key");
        String withoutProof = "c=biws,r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = mechanism.hmac(mechanism.hash(clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        serverSignature = mechanism.hmac(mechanism.hmac(salted, "Server Key"), authMessage);
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The salted password (PBKDF2, thousands of rounds: the costly step), remembered per server salt as drivers do: a
     * process's salt is the same for every connection to it, so a pool of connections pays for it once.
     */
    private byte[] salted(byte[] salt, int iterations) {
        String key = mechanism + "\u0000" + user + "\u0000" + password + "\u0000" + Base64.getEncoder().encodeToString(salt) + "\u0000" + iterations;
        byte[] cached = SALTED.get(key);
        if (cached == null) {
            cached = mechanism.saltedPassword(mechanism.preparedPassword(user, password), salt, iterations);
            if (SALTED.size() < 1_000) {
                SALTED.put(key, cached);
            }
        }
        return cached;
    }

    private static final java.util.Map<String, byte[]> SALTED = new java.util.concurrent.ConcurrentHashMap<>();

    /** Checks the server-final message: the server proved it knows the key too. */
    public void verify(byte[] serverFinalBytes) {
        String serverFinal = new String(serverFinalBytes, StandardCharsets.UTF_8);
        if (!serverFinal.startsWith("v=") || serverSignature == null
            || !MessageDigest.isEqual(Base64.getDecoder().decode(serverFinal.substring(2)), serverSignature)) {
            throw new AuthenticationFailed("SCRAM: the server's signature does not match");
        }
    }
}
