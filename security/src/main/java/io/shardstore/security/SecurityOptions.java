package io.shardstore.security;

import io.shardstore.protocol.TlsOptions;

/**
 * How a process treats its clients: {@code auth} ({@code --auth}) requires every client to authenticate and checks
 * each command against the user's roles; off (the default, as mongod's), every client may run everything.
 * {@code keyFile} ({@code --keyFile}, which implies auth, as for mongod): the cluster's shared key, with which the
 * processes log in to each other as {@code __system}; null without one. {@code tls}: the {@code --tls*} options.
 */
public record SecurityOptions(boolean auth, KeyFile keyFile, TlsOptions tls) {
    public static final SecurityOptions OFF = new SecurityOptions(false, null, TlsOptions.DISABLED);
    public static final SecurityOptions AUTH = new SecurityOptions(true, null, TlsOptions.DISABLED);

    public SecurityOptions(boolean auth, KeyFile keyFile) {
        this(auth, keyFile, TlsOptions.DISABLED);
    }

    public static SecurityOptions withKey(KeyFile key) {
        return new SecurityOptions(true, key, TlsOptions.DISABLED);
    }

    public SecurityOptions withTls(TlsOptions options) {
        return new SecurityOptions(auth, keyFile, options);
    }

    /** The user this process accepts outside admin.system.users: {@code __system@local} when there is a key. */
    public UserRecord internalUser(String db, String user) {
        return keyFile == null ? null : keyFile.internal(db, user);
    }
}
