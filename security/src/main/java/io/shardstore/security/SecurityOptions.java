package io.shardstore.security;

/**
 * How a process treats its clients: {@code auth} ({@code --auth}) requires every client to authenticate and checks
 * each command against the user's roles; off (the default, as mongod's), every client may run everything.
 * {@code keyFile} ({@code --keyFile}, which implies auth, as for mongod): the cluster's shared key, with which the
 * processes log in to each other as {@code __system}; null without one.
 */
public record SecurityOptions(boolean auth, KeyFile keyFile) {
    public static final SecurityOptions OFF = new SecurityOptions(false, null);
    public static final SecurityOptions AUTH = new SecurityOptions(true, null);

    public static SecurityOptions withKey(KeyFile key) {
        return new SecurityOptions(true, key);
    }

    /** The user this process accepts outside admin.system.users: {@code __system@local} when there is a key. */
    public UserRecord internalUser(String db, String user) {
        return keyFile == null ? null : keyFile.internal(db, user);
    }
}
