package io.shardstore.security;

/**
 * How a process treats its clients: {@code auth} ({@code --auth}) requires every client to authenticate and checks
 * each command against the user's roles; off (the default, as mongod's), every client may run everything.
 */
public record SecurityOptions(boolean auth) {
    public static final SecurityOptions OFF = new SecurityOptions(false);
    public static final SecurityOptions AUTH = new SecurityOptions(true);
}
