package io.shardstore.router.topology;

import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.ChunkVersion;

/** Where a collection's documents live: all on its database's primary shard, or spread by a chunk map. */
public sealed interface Routing {

    String primary();

    /** The shard version to send with a request to {@code shard}. */
    ChunkVersion versionFor(String shard);

    record Unsharded(String primary) implements Routing {
        @Override
        public ChunkVersion versionFor(String shard) {
            return ChunkVersion.UNSHARDED;
        }
    }

    record Sharded(String ns, ChunkMap chunks, String primary) implements Routing {
        @Override
        public ChunkVersion versionFor(String shard) {
            return chunks.shardVersion(shard);
        }
    }
}
