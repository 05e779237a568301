package io.shardstore.router.gateway;

/** A shard's reply body (raw BSON, not decoded) and the member that sent it, where a cursor on it lives. */
public record ShardReply(byte[] body, String host) {
}
