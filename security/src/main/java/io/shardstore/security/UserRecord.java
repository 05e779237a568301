package io.shardstore.security;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;

/**
 * A user as {@code admin.system.users} holds it, in MongoDB's layout: {@code _id} "db.user", {@code userId} (a UUID),
 * {@code user}, {@code db}, {@code credentials} per SCRAM mechanism, {@code roles} as {role, db} pairs.
 */
public record UserRecord(String user, String db, BsonDocument credentials, List<RoleName> roles, BsonDocument document) {

    /** A role granted to a user: its name and the database it is defined in. */
    public record RoleName(String role, String db) {
        public BsonDocument toDocument() {
            return new BsonDocument("role", new BsonString(role)).append("db", new BsonString(db));
        }
    }

    public String qualifiedName() {
        return db + "." + user;
    }

    public ScramCredential credential(ScramMechanism mechanism) {
        return ScramCredential.from(mechanism, credentials);
    }

    /** The stored document of a new user: credentials for {@code mechanisms}, from {@code password}. */
    public static BsonDocument newDocument(String user, String db, String password, List<ScramMechanism> mechanisms,
                                           List<RoleName> roles, BsonDocument customData) {
        BsonDocument credentials = credentials(user, password, mechanisms);
        BsonDocument doc = new BsonDocument("_id", new BsonString(db + "." + user))
            .append("userId", new BsonBinary(UUID.randomUUID(), UuidRepresentation.STANDARD))
            .append("user", new BsonString(user))
            .append("db", new BsonString(db))
            .append("credentials", credentials)
            .append("roles", rolesArray(roles));
        if (customData != null) {
            doc.append("customData", customData);
        }
        return doc;
    }

    public static BsonDocument credentials(String user, String password, List<ScramMechanism> mechanisms) {
        BsonDocument credentials = new BsonDocument();
        for (ScramMechanism m : mechanisms) {
            credentials.append(m.mechanismName(), m.credential(user, password).toDocument());
        }
        return credentials;
    }

    public static BsonArray rolesArray(List<RoleName> roles) {
        BsonArray array = new BsonArray();
        roles.forEach(r -> array.add(r.toDocument()));
        return array;
    }

    public static UserRecord of(BsonDocument doc) {
        List<RoleName> roles = new ArrayList<>();
        BsonValue r = doc.get("roles");
        if (r != null && r.isArray()) {
            for (BsonValue v : r.asArray()) {
                if (v.isDocument() && v.asDocument().isString("role") && v.asDocument().isString("db")) {
                    roles.add(new RoleName(v.asDocument().getString("role").getValue(), v.asDocument().getString("db").getValue()));
                }
            }
        }
        BsonDocument credentials = doc.isDocument("credentials") ? doc.getDocument("credentials") : new BsonDocument();
        return new UserRecord(doc.getString("user").getValue(), doc.getString("db").getValue(), credentials, List.copyOf(roles), doc);
    }

    /** The mechanisms this user has credentials for, as MongoDB names them. */
    public List<String> mechanisms() {
        List<String> out = new ArrayList<>();
        for (ScramMechanism m : ScramMechanism.values()) {
            if (credentials.containsKey(m.mechanismName())) {
                out.add(m.mechanismName());
            }
        }
        return out;
    }
}
