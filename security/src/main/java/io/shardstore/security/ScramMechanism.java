package io.shardstore.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import com.mongodb.internal.authentication.SaslPrep;

/**
 * The two SCRAM mechanisms MongoDB speaks (RFC 5802 / RFC 7677), with MongoDB's rules for the password each one
 * salts: SCRAM-SHA-1 hashes the hex MD5 of {@code user:mongo:password} (the digest MONGODB-CR used, kept for
 * compatibility), SCRAM-SHA-256 the SASLprepped password itself. Iteration counts are mongod's defaults
 * ({@code scramIterationCount} 10,000, {@code scramSHA256IterationCount} 15,000). All hashing is the JDK's.
 */
public enum ScramMechanism {
    SHA_1("SCRAM-SHA-1", "SHA-1", "HmacSHA1", "PBKDF2WithHmacSHA1", 10_000),
    SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", "PBKDF2WithHmacSHA256", 15_000);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String mechanismName;
    private final String digest;
    private final String hmac;
    private final String pbkdf2;
    private final int defaultIterations;

    ScramMechanism(String mechanismName, String digest, String hmac, String pbkdf2, int defaultIterations) {
        this.mechanismName = mechanismName;
        this.digest = digest;
        this.hmac = hmac;
        this.pbkdf2 = pbkdf2;
        this.defaultIterations = defaultIterations;
    }

    /** As MongoDB names it ({@code SCRAM-SHA-256}). */
    public String mechanismName() {
        return mechanismName;
    }

    public int defaultIterations() {
        return defaultIterations;
    }

    /** The mechanism so named, or null. */
    public static ScramMechanism named(String name) {
        for (ScramMechanism m : values()) {
            if (m.mechanismName.equals(name)) {
                return m;
            }
        }
        return null;
    }

    /** A new credential for {@code user} with {@code password}: a random salt, the default iteration count. */
    public ScramCredential credential(String user, String password) {
        byte[] salt = new byte[this == SHA_1 ? 16 : 28];
        RANDOM.nextBytes(salt);
        return credential(user, password, salt, defaultIterations);
    }

    public ScramCredential credential(String user, String password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(preparedPassword(user, password), salt, iterations);
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] serverKey = hmac(salted, "Server Key");
        Base64.Encoder b64 = Base64.getEncoder();
        return new ScramCredential(this, iterations, b64.encodeToString(salt), b64.encodeToString(hash(clientKey)),
            b64.encodeToString(serverKey));
    }

    /** The password as this mechanism salts it. */
    String preparedPassword(String user, String password) {
        if (this == SHA_1) {
            return HexFormat.of().formatHex(digest("MD5", (user + ":mongo:" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return SaslPrep.saslPrepStored(password);
    }

    byte[] saltedPassword(String prepared, byte[] salt, int iterations) {
        try {
            SecretKeyFactory factory = SecretKeyFactory.getInstance(pbkdf2);
            return factory.generateSecret(new PBEKeySpec(prepared.toCharArray(), salt, iterations, hashLength() * 8)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(pbkdf2 + " is not available", e);
        }
    }

    int hashLength() {
        return this == SHA_1 ? 20 : 32;
    }

    byte[] hmac(byte[] key, String text) {
        return hmac(key, text.getBytes(StandardCharsets.UTF_8));
    }

    byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(hmac);
            mac.init(new SecretKeySpec(key, hmac));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hmac + " is not available", e);
        }
    }

    byte[] hash(byte[] data) {
        return digest(digest, data);
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }

    static byte[] randomBytes(int n) {
        byte[] out = new byte[n];
        RANDOM.nextBytes(out);
        return out;
    }
}
