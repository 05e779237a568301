package io.shardstore.config.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;
import org.bson.types.ObjectId;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;

import io.shardstore.sharding.Chunk;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.ChunkVersion;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * The sharding catalog, kept in the {@code config} database as MongoDB keeps it (so mongosh's
 * {@code sh.status()} reads it): config.version, shards, databases, collections (with {@code uuid} and
 * {@code timestamp}), chunks (by collection {@code uuid}, {@code lastmod} as a Timestamp), settings.
 * Accessed through a driver client, like any other client of the config server.
 */
public final class ConfigCatalog {
    private final MongoDatabase config;

    public ConfigCatalog(MongoClient client) {
        this.config = client.getDatabase("config");
    }

    /** The config database itself (the plain-shard migrations' fences and the routers' leases live there). */
    public MongoDatabase database() {
        return config;
    }

    private MongoCollection<BsonDocument> coll(String name) {
        return config.getCollection(name, BsonDocument.class);
    }

    /**
     * config.version must hold one document, or mongosh's sh.status() refuses to run. config.chunks gets
     * MongoDB's {uuid: 1, lastmod: 1} index: a router's refresh asks for the chunks of one collection newer than
     * its cached version, which the index answers without scanning every chunk.
     */
    public void ensureVersion() {
        coll("chunks").createIndex(com.mongodb.client.model.Indexes.ascending("uuid", "lastmod"),
            new com.mongodb.client.model.IndexOptions().name("uuid_1_lastmod_1"));
        if (coll("version").find().first() == null) {
            coll("version").insertOne(new BsonDocument("_id", new BsonInt32(1))
                .append("clusterId", new org.bson.BsonObjectId(new ObjectId())));
        }
        if (coll("settings").find(Filters.eq("_id", "chunksize")).first() == null) {
            coll("settings").insertOne(new BsonDocument("_id", new BsonString("chunksize")).append("value", new BsonInt32(128)));
        }
    }

    public List<BsonDocument> shards() {
        return coll("shards").find().sort(Sorts.ascending("_id")).into(new ArrayList<>());
    }

    /**
     * The config.shards field set on a plain shard (a real mongod, or our node with --plain): one that takes no shard
     * versions, critical sections or migration captures (issue 11).
     */
    public static final String PLAIN = "plain";

    /** Whether {@code name} is a plain shard (false for an unknown name). */
    public boolean isPlain(String name) {
        BsonDocument shard = shard(name);
        return shard != null && shard.getBoolean(PLAIN, org.bson.BsonBoolean.FALSE).getValue();
    }

    public BsonDocument shard(String name) {
        return coll("shards").find(Filters.eq("_id", name)).first();
    }

    public void insertShard(BsonDocument shard) {
        coll("shards").insertOne(shard);
    }

    public void replaceShard(BsonDocument shard) {
        coll("shards").replaceOne(Filters.eq("_id", shard.get("_id")), shard);
    }

    public void removeShard(String name) {
        coll("shards").deleteOne(Filters.eq("_id", name));
    }

    public BsonDocument database(String name) {
        return coll("databases").find(Filters.eq("_id", name)).first();
    }

    public List<BsonDocument> databases() {
        return coll("databases").find().into(new ArrayList<>());
    }

    public void upsertDatabase(BsonDocument db) {
        coll("databases").replaceOne(Filters.eq("_id", db.get("_id")), db, new ReplaceOptions().upsert(true));
    }

    public void removeDatabase(String name) {
        coll("databases").deleteOne(Filters.eq("_id", name));
    }

    public BsonDocument collection(String ns) {
        return coll("collections").find(Filters.and(Filters.eq("_id", ns), Filters.ne("dropped", true))).first();
    }

    public List<BsonDocument> collections() {
        return coll("collections").find(Filters.ne("dropped", true)).into(new ArrayList<>());
    }

    public void upsertCollection(BsonDocument collection) {
        coll("collections").replaceOne(Filters.eq("_id", collection.get("_id")), collection, new ReplaceOptions().upsert(true));
    }

    public void removeCollection(String ns) {
        BsonDocument c = collection(ns);
        if (c != null) {
            coll("chunks").deleteMany(Filters.eq("uuid", c.get("uuid")));
            coll("collections").deleteOne(Filters.eq("_id", ns));
        }
    }

    public List<BsonDocument> chunkDocs(BsonValue uuid) {
        return coll("chunks").find(Filters.eq("uuid", uuid)).sort(Sorts.ascending("min")).into(new ArrayList<>());
    }

    /** The chunk map of a sharded collection, or null when it is not sharded. */
    public ChunkMap chunkMap(String ns) {
        BsonDocument c = collection(ns);
        return c == null ? null : chunkMap(c, chunkDocs(c.get("uuid")));
    }

    public static ChunkMap chunkMap(BsonDocument collection, List<BsonDocument> chunkDocs) {
        ShardKeyPattern key = new ShardKeyPattern(collection.getDocument("key"));
        ObjectId epoch = collection.getObjectId("lastmodEpoch").getValue();
        List<Chunk> chunks = new ArrayList<>();
        for (BsonDocument d : chunkDocs) {
            chunks.add(new Chunk(d.getDocument("min"), d.getDocument("max"), d.getString("shard").getValue(),
                ChunkVersion.fromLastmod(d.getTimestamp("lastmod"), epoch, collection.getTimestamp("timestamp"))));
        }
        return new ChunkMap(key, chunks);
    }

    public void insertChunks(List<BsonDocument> chunks) {
        if (!chunks.isEmpty()) {
            coll("chunks").insertMany(chunks);
        }
    }

    public void deleteChunk(BsonValue id) {
        coll("chunks").deleteOne(Filters.eq("_id", id));
    }

    public void replaceChunk(BsonDocument chunk) {
        coll("chunks").replaceOne(Filters.eq("_id", chunk.get("_id")), chunk);
    }

    public BsonDocument chunkDoc(BsonValue uuid, BsonDocument min) {
        return coll("chunks").find(Filters.and(Filters.eq("uuid", uuid), Filters.eq("min", min))).first();
    }

    public BsonDocument balancerSettings() {
        return coll("settings").find(Filters.eq("_id", "balancer")).first();
    }

    public void setBalancerStopped(boolean stopped) {
        coll("settings").replaceOne(Filters.eq("_id", "balancer"),
            new BsonDocument("_id", new BsonString("balancer")).append("stopped", org.bson.BsonBoolean.valueOf(stopped))
                .append("mode", new BsonString(stopped ? "off" : "full")),
            new ReplaceOptions().upsert(true));
    }

    public boolean balancerEnabled() {
        BsonDocument s = balancerSettings();
        return s == null || !s.getBoolean("stopped", org.bson.BsonBoolean.FALSE).getValue();
    }

    public void logChange(BsonDocument entry) {
        coll("changelog").insertOne(entry);
    }

    public void deleteChunks(BsonValue uuid) {
        coll("chunks").deleteMany(Filters.eq("uuid", uuid));
    }

    /** The newest changelog entry matching {@code filter}, or null. */
    public BsonDocument lastChange(org.bson.conversions.Bson filter) {
        return coll("changelog").find(filter).sort(Sorts.descending("time")).first();
    }

    // ---- resharding: config.reshardingOperations, one document per operation in progress, as MongoDB keeps them ---

    public List<BsonDocument> reshardingOperations() {
        return coll("reshardingOperations").find().into(new ArrayList<>());
    }

    public BsonDocument reshardingOperation(BsonValue id) {
        return coll("reshardingOperations").find(Filters.eq("_id", id)).first();
    }

    public void saveReshardingOperation(BsonDocument op) {
        coll("reshardingOperations").replaceOne(Filters.eq("_id", op.get("_id")), op, new ReplaceOptions().upsert(true));
    }

    public void removeReshardingOperation(BsonValue id) {
        coll("reshardingOperations").deleteOne(Filters.eq("_id", id));
    }

    /** Sets (or, with null, removes) the collection entry's {@code reshardingFields}, while its uuid is {@code uuid}. */
    public void setReshardingFields(String ns, BsonValue uuid, BsonDocument fields) {
        coll("collections").updateOne(Filters.and(Filters.eq("_id", ns), Filters.eq("uuid", uuid)), fields == null
            ? com.mongodb.client.model.Updates.unset("reshardingFields")
            : com.mongodb.client.model.Updates.set("reshardingFields", fields));
    }

    /** Replaces every zone range of {@code ns} by {@code ranges} ({min, max, zone}). */
    public void replaceZoneRanges(String ns, List<BsonDocument> ranges) {
        coll("tags").deleteMany(Filters.eq("ns", ns));
        for (BsonDocument r : ranges) {
            upsertZoneRange(ns, r.getDocument("min"), r.getDocument("max"), r.getString("zone").getValue());
        }
    }

    // ---- zones: config.shards' tags and config.tags, as MongoDB keeps them ----------------------------------------

    /** Adds {@code zone} to the shard's tags; false when there is no such shard. */
    public boolean addShardToZone(String shard, String zone) {
        return coll("shards").updateOne(Filters.eq("_id", shard), com.mongodb.client.model.Updates.addToSet("tags", zone))
            .getMatchedCount() > 0;
    }

    /** Removes {@code zone} from the shard's tags; false when there is no such shard. */
    public boolean removeShardFromZone(String shard, String zone) {
        return coll("shards").updateOne(Filters.eq("_id", shard), com.mongodb.client.model.Updates.pull("tags", zone))
            .getMatchedCount() > 0;
    }

    /** The zone ranges of {@code ns} (config.tags: {_id, ns, min, max, tag}), by min. */
    public List<BsonDocument> zoneRanges(String ns) {
        List<BsonDocument> ranges = coll("tags").find(Filters.eq("ns", ns)).into(new ArrayList<>());
        ranges.sort((a, b) -> io.shardstore.sharding.KeyOrder.INSTANCE.compare(a.getDocument("min"), b.getDocument("min")));
        return ranges;
    }

    /** Every zone range, of any collection. */
    public List<BsonDocument> allZoneRanges() {
        return coll("tags").find().into(new ArrayList<>());
    }

    /** Sets the zone of the range starting at {@code min} (a new range, or the same range given another zone). */
    public void upsertZoneRange(String ns, BsonDocument min, BsonDocument max, String zone) {
        BsonDocument existing = coll("tags").find(Filters.and(Filters.eq("ns", ns), Filters.eq("min", min))).first();
        BsonDocument doc = new BsonDocument("_id", existing != null ? existing.get("_id") : new org.bson.BsonObjectId(new ObjectId()))
            .append("ns", new BsonString(ns)).append("min", min).append("max", max).append("tag", new BsonString(zone));
        coll("tags").replaceOne(Filters.eq("_id", doc.get("_id")), doc, new ReplaceOptions().upsert(true));
    }

    public void removeZoneRange(String ns, BsonDocument min, BsonDocument max) {
        coll("tags").deleteOne(Filters.and(Filters.eq("ns", ns), Filters.eq("min", min), Filters.eq("max", max)));
    }

    public static BsonBinary newUuid() {
        return new BsonBinary(UUID.randomUUID(), UuidRepresentation.STANDARD);
    }
}
