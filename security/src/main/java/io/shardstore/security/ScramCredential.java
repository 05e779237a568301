package io.shardstore.security;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;

/**
 * One mechanism's stored credential, as {@code admin.system.users} keeps it under {@code credentials.<mechanism>}:
 * the salt, the iteration count, StoredKey = H(ClientKey) and ServerKey, all base64. The password itself is never
 * kept, and neither is anything a client could replay as its proof.
 */
public record ScramCredential(ScramMechanism mechanism, int iterationCount, String salt, String storedKey, String serverKey) {

    public BsonDocument toDocument() {
        return new BsonDocument("iterationCount", new BsonInt32(iterationCount))
            .append("salt", new BsonString(salt))
            .append("storedKey", new BsonString(storedKey))
            .append("serverKey", new BsonString(serverKey));
    }

    /** The credential of {@code mechanism} in a {@code credentials} document, or null when it has none. */
    public static ScramCredential from(ScramMechanism mechanism, BsonDocument credentials) {
        if (credentials == null || !credentials.isDocument(mechanism.mechanismName())) {
            return null;
        }
        BsonDocument c = credentials.getDocument(mechanism.mechanismName());
        return new ScramCredential(mechanism, c.getNumber("iterationCount").intValue(), c.getString("salt").getValue(),
            c.getString("storedKey").getValue(), c.getString("serverKey").getValue());
    }
}
