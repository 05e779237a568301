package io.shardstore.router.gateway;

/** A shard host could not be reached or did not answer in time (HostUnreachable, 6, for the client). */
public final class ShardUnreachableException extends RuntimeException {
    public ShardUnreachableException(String host, Throwable cause) {
        super("shard host " + host + " unreachable: " + (cause == null ? "unknown" : cause.getMessage()), cause);
    }
}
