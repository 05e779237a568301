package io.shardstore.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The cluster's shared secret ({@code --keyFile}), read as mongod reads it: whitespace is ignored, the rest must be 6
 * to 1024 characters of the base64 alphabet, and on a POSIX file system the file must not be readable by group or
 * others. Members, config servers and routers log in to each other as {@code __system@local} with it as the
 * password (SCRAM), and each process accepts that login from whoever knows the key.
 */
public final class KeyFile {
    public static final String SYSTEM_USER = "__system";
    public static final String SYSTEM_DB = "local";

    private final String key;
    /** {@code __system@local} as this process accepts it (credentials from the key, fresh salts per process). */
    private final UserRecord systemUser;

    private KeyFile(String key) {
        this.key = key;
        org.bson.BsonDocument credentials = UserRecord.credentials(SYSTEM_USER, key, List.of(ScramMechanism.values()));
        this.systemUser = new UserRecord(SYSTEM_USER, SYSTEM_DB, credentials,
            List.of(new UserRecord.RoleName("__system", "admin")), new org.bson.BsonDocument());
    }

    /** Reads and checks {@code path}; IllegalArgumentException says what is wrong, as mongod's startup error would. */
    public static KeyFile read(Path path) {
        String content;
        try {
            content = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("error opening file: " + path + ": " + e.getMessage());
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)
                || perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IllegalArgumentException("permissions on " + path + " are too open");
            }
        } catch (UnsupportedOperationException | IOException notPosix) {
            // no POSIX permissions to check (as mongod on Windows)
        }
        String key = content.replaceAll("\\s", "");
        if (key.length() < 6 || key.length() > 1024) {
            throw new IllegalArgumentException("security key in " + path + " must be between 6 and 1024 characters");
        }
        if (!key.matches("[A-Za-z0-9+/=]+")) {
            throw new IllegalArgumentException("invalid char in key file " + path + ": only base64 characters are allowed");
        }
        return new KeyFile(key);
    }

    /** Writes a new random key (756 base64 characters, as MongoDB's docs suggest) readable by the owner only. */
    public static Path generate(Path path) throws IOException {
        byte[] random = new byte[567];
        new SecureRandom().nextBytes(random);
        Files.writeString(path, Base64.getEncoder().encodeToString(random) + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(path, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        } catch (UnsupportedOperationException notPosix) {
            // nothing to restrict
        }
        return path;
    }

    /** The password of {@code __system@local}. */
    public String password() {
        return key;
    }

    /** The user {@code user} of {@code db} if it is the cluster's own, else null. */
    public UserRecord internal(String db, String user) {
        return SYSTEM_DB.equals(db) && SYSTEM_USER.equals(user) ? systemUser : null;
    }
}
