package io.shardstore.config.command;

import java.util.List;

import org.bson.BsonDocument;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.config.migration.Migration;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.sharding.Chunk;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.ChunkVersion;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * moveChunk ({@code find | bounds, to}) and moveRange ({@code min, max?, toShard}): migrate one chunk. The
 * commit bumps the major version; both shards learn their new versions before the source leaves its
 * critical section, so every write held there, and every router still on the old version, is turned
 * away with StaleConfig and retried on the new owner.
 */
public final class MoveChunkCommand extends ConfigCommand {
    private final String name;

    public MoveChunkCommand(ConfigContext config, String name) {
        super(config);
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected BsonDocument execute(BsonDocument body, ConfigCatalog catalog) {
        String ns = nsArgument(body, name);
        String to = body.isString("to") ? body.getString("to").getValue()
            : body.isString("toShard") ? body.getString("toShard").getValue() : null;
        if (to == null) {
            throw Errors.of(ErrorCode.BadValue, name + " needs the destination shard ('" + (name.equals("moveRange") ? "toShard" : "to") + "')");
        }
        BsonDocument collection = catalog.collection(ns);
        if (collection == null) {
            throw Errors.of(ErrorCode.NamespaceNotSharded, ns + " is not sharded");
        }
        if (io.shardstore.config.resharding.ReshardingCoordinator.inProgress(collection)) {
            throw io.shardstore.config.resharding.ReshardingCoordinator.conflict(ns);
        }
        if (catalog.shard(to) == null) {
            throw Errors.of(ErrorCode.ShardNotFound, "shard " + to + " not found");
        }
        ChunkMap map = catalog.chunkMap(ns);
        Chunk chunk = ChunkLookup.byFindOrBounds(map, body, ns);
        move(config, catalog, ns, collection, map, chunk, to);
        return ok();
    }

    /**
     * A hashed-key chunk does not move to or from a plain shard (a real mongod): the router's ownership filter there
     * would need $toHashedIndexKey. Refused with a clear error rather than run without the filter (issue 11).
     */
    public static void refuseOnPlainShards(ConfigCatalog catalog, ShardKeyPattern key, String... shards) {
        if (!key.isHashed()) {
            return;
        }
        for (String shard : shards) {
            if (catalog.isPlain(shard)) {
                throw Errors.of(ErrorCode.IllegalOperation, "chunk migrations of hashed-key collections to or from plain shards "
                    + "are not supported yet: " + shard + " is a plain shard (a mongod without this project's sharding support), "
                    + "and the router's ownership filter would need $toHashedIndexKey there");
            }
        }
    }

    /** A migration where a plain shard takes part: driven through the driver, the routers fenced (PlainMigration). */
    private static void movePlain(ConfigContext config, ConfigCatalog catalog, String ns, BsonDocument collection, ChunkMap map,
                                  Chunk chunk, String to) {
        io.shardstore.config.migration.PlainMigration migration = new io.shardstore.config.migration.PlainMigration(ns,
            map.keyPattern(), chunk, to, config.shard(catalog, chunk.shard()), config.shard(catalog, to), catalog.database());
        long cloned = cloneAndCommit(catalog, ns, collection, map, chunk, to, migration::cloneAndEnterCriticalSection,
            migration::abort);
        ChunkMap after = catalog.chunkMap(ns);
        // Our nodes among the two are told their versions as usual (a plain one is skipped by Placement.tell).
        Placement.pushVersions(config, catalog, ns, after, donorVersion(after), chunk.shard());
        migration.release();
        migration.cleanUpDonor();
        // note "success" exactly: sh.status() counts any other note as a failed migration.
        BsonDocument entry = Migration.changelog(ns, chunk, chunk.shard(), to, cloned, "success");
        entry.getDocument("details").append("plain", org.bson.BsonBoolean.TRUE);
        catalog.logChange(entry);
    }

    /**
     * Copies the chunk and holds the donor's writes ({@code cloneAndEnter}), then commits it to {@code to} in the
     * catalog; on any failure undoes the copy ({@code abort}) and logs the aborted migration. Returns the documents copied.
     */
    private static long cloneAndCommit(ConfigCatalog catalog, String ns, BsonDocument collection, ChunkMap map, Chunk chunk,
                                       String to, java.util.function.LongSupplier cloneAndEnter, Runnable abort) {
        try {
            long cloned = cloneAndEnter.getAsLong();
            commit(catalog, collection, map, chunk, to);
            return cloned;
        } catch (RuntimeException e) {
            abort.run();
            catalog.logChange(Migration.changelog(ns, chunk, chunk.shard(), to, 0, "aborted: " + e.getMessage()));
            throw e;
        }
    }

    /** The chunk now belongs to {@code to} in the catalog (a new major version). */
    private static void commit(ConfigCatalog catalog, BsonDocument collection, ChunkMap map, Chunk chunk, String to) {
        List<Chunk> left = map.chunksOf(chunk.shard()).stream().filter(c -> !c.equals(chunk)).toList();
        ChunkEdits.commitMove(catalog, collection.get("uuid"), chunk, to, map.collectionVersion(), left);
    }

    /** The version the donor is told when it is left without the chunk's range (the collection's major, minor 0). */
    private static ChunkVersion donorVersion(ChunkMap after) {
        return new ChunkVersion(after.collectionVersion().major(), 0, after.collectionVersion().epoch(),
            after.collectionVersion().timestamp());
    }

    /** Migrates {@code chunk} to {@code to}; also used by the balancer. */
    public static void move(ConfigContext config, ConfigCatalog catalog, String ns, BsonDocument collection, ChunkMap map,
                            Chunk chunk, String to) {
        if (chunk.shard().equals(to)) {
            return;
        }
        if (catalog.isPlain(chunk.shard()) || catalog.isPlain(to)) {
            refuseOnPlainShards(catalog, map.keyPattern(), chunk.shard(), to);
            movePlain(config, catalog, ns, collection, map, chunk, to);
            return;
        }
        Migration migration = new Migration(ns, map.keyPattern(), chunk, config.shard(catalog, chunk.shard()), config.shard(catalog, to));
        long cloned = cloneAndCommit(catalog, ns, collection, map, chunk, to, migration::cloneAndEnterCriticalSection,
            migration::abort);
        ChunkMap after = catalog.chunkMap(ns);
        ChunkVersion sourceVersion = donorVersion(after);
        try {
            Placement.pushVersions(config, catalog, ns, after, sourceVersion, chunk.shard());
        } finally {
            migration.exitCriticalSection();
        }
        migration.cleanUpSource();
        catalog.logChange(Migration.changelog(ns, chunk, chunk.shard(), to, cloned, "success"));
    }
}
