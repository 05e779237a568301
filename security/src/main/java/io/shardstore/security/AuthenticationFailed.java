package io.shardstore.security;

/**
 * A failed authentication. The client is told only MongoDB's "Authentication failed." (code 18), whatever the reason,
 * so that a client cannot tell an unknown user from a wrong password; {@link #getMessage()} says why, for the log.
 */
public final class AuthenticationFailed extends RuntimeException {
    public static final String CLIENT_MESSAGE = "Authentication failed.";

    public AuthenticationFailed(String reason) {
        super(reason);
    }
}
