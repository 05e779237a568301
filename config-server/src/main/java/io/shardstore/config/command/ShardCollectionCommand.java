package io.shardstore.config.command;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

import com.mongodb.client.MongoDatabase;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.sharding.ChunkVersion;
import io.shardstore.sharding.HashedKeys;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * shardCollection: validates the key (and any unique index against it), creates the shard-key index,
 * writes the collection and its initial chunks, and tells the shards their versions. A range key starts
 * with one chunk on the primary shard; a hashed key on an empty collection starts with two chunks per
 * shard, spread round-robin.
 */
public final class ShardCollectionCommand extends ConfigCommand {

    public ShardCollectionCommand(ConfigContext config) {
        super(config);
    }

    @Override
    public String name() {
        return "shardCollection";
    }

    @Override
    protected BsonDocument execute(BsonDocument body, ConfigCatalog catalog) {
        String ns = nsArgument(body, name());
        String db = ns.substring(0, ns.indexOf('.'));
        String coll = ns.substring(ns.indexOf('.') + 1);
        if (!body.isDocument("key")) {
            throw Errors.of(ErrorCode.InvalidOptions, "shardCollection needs a 'key' document");
        }
        if (db.equals("config") || db.equals("admin") || db.equals("local") || coll.startsWith("system.")) {
            throw Errors.of(ErrorCode.IllegalOperation, "can't shard " + ns);
        }
        ShardKeyPattern key = new ShardKeyPattern(body.getDocument("key"));
        boolean unique = body.getBoolean("unique", BsonBoolean.FALSE).getValue();
        if (unique && key.isHashed()) {
            throw Errors.of(ErrorCode.InvalidOptions, "hashed shard keys cannot be declared unique. It's possible to ensure "
                + "uniqueness on the hashed field by declaring an additional (non-hashed) unique index on the field.");
        }
        BsonDocument existing = catalog.collection(ns);
        if (existing != null) {
            if (existing.getDocument("key").equals(key.pattern())) {
                return new BsonDocument("collectionsharded", new BsonString(ns)).append("ok", new org.bson.BsonDouble(1.0));
            }
            throw Errors.of(ErrorCode.AlreadyInitialized, "sharding already enabled for collection " + ns
                + " with options { key: " + existing.getDocument("key").toJson() + " }");
        }
        BsonDocument database = Placement.ensureDatabase(catalog, db, null);
        String primary = database.getString("primary").getValue();
        MongoDatabase primaryDb = config.shard(catalog, primary).getDatabase(db);

        for (BsonDocument index : primaryDb.getCollection(coll).listIndexes(BsonDocument.class)) {
            boolean indexUnique = index.getBoolean("unique", BsonBoolean.FALSE).getValue();
            String indexName = index.getString("name").getValue();
            if (indexUnique && !indexName.equals("_id_") && !isPrefix(key.pattern(), index.getDocument("key"))) {
                throw Errors.of(ErrorCode.InvalidOptions, "can't shard collection '" + ns + "' with unique index on "
                    + index.getDocument("key").toJson() + " and proposed shard key " + key.pattern().toJson()
                    + ". Uniqueness can't be maintained unless shard key is a prefix");
            }
        }
        long documents = primaryDb.getCollection(coll).countDocuments();

        List<String> shards = catalog.shards().stream().map(s -> s.getString("_id").getValue()).toList();
        List<BsonDocument> bounds = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        if (key.isHashed() && documents == 0 && key.fields().size() == 1) {
            int n = body.isNumber("numInitialChunks") && body.getNumber("numInitialChunks").intValue() > 0
                ? body.getNumber("numInitialChunks").intValue() : 2 * shards.size();
            bounds.add(key.globalMin());
            for (long point : HashedKeys.splitPoints(n)) {
                bounds.add(new BsonDocument(key.fields().get(0), new BsonInt64(point)));
            }
            bounds.add(key.globalMax());
            int start = shards.indexOf(primary);
            for (int i = 0; i < n; i++) {
                owners.add(shards.get((start + i) % shards.size()));
            }
        } else {
            bounds.add(key.globalMin());
            bounds.add(key.globalMax());
            owners.add(primary);
        }

        ObjectId epoch = new ObjectId();
        int now = (int) (System.currentTimeMillis() / 1000);
        BsonTimestamp timestamp = new BsonTimestamp(now, 1);
        BsonValue uuid = ConfigCatalog.newUuid();
        BsonDocument indexKey = key.pattern();
        for (String shard : new java.util.LinkedHashSet<>(owners)) {
            // The shard-key index, and the collection itself, exist on every shard that owns a chunk.
            MongoDatabase shardDb = config.shard(catalog, shard).getDatabase(db);
            List<BsonDocument> indexes = shardDb.getCollection(coll).listIndexes(BsonDocument.class).into(new ArrayList<>());
            // The router's dropIndexes keeps it, as mongod 6.0+ keeps the last index that serves the shard key.
            if (!hasShardKeyIndex(indexes, key, unique)) {
                BsonDocument spec = new BsonDocument("key", indexKey).append("name", new BsonString(indexName(indexKey)));
                if (unique) {
                    spec.append("unique", BsonBoolean.TRUE);
                }
                shardDb.runCommand(new BsonDocument("createIndexes", new BsonString(coll)).append("indexes", new BsonArray(List.of(spec))));
            }
        }
        List<BsonDocument> chunks = new ArrayList<>();
        for (int i = 0; i < owners.size(); i++) {
            chunks.add(new BsonDocument("_id", new BsonObjectId(new ObjectId()))
                .append("uuid", uuid)
                .append("min", bounds.get(i))
                .append("max", bounds.get(i + 1))
                .append("shard", new BsonString(owners.get(i)))
                .append("lastmod", new BsonTimestamp(1, i))
                .append("onCurrentShardSince", timestamp)
                .append("history", new BsonArray(List.of(new BsonDocument("validAfter", timestamp).append("shard", new BsonString(owners.get(i)))))));
        }
        catalog.insertChunks(chunks);
        catalog.upsertCollection(new BsonDocument("_id", new BsonString(ns))
            .append("lastmodEpoch", new BsonObjectId(epoch))
            .append("lastmod", new BsonDateTime(System.currentTimeMillis()))
            .append("timestamp", timestamp)
            .append("uuid", uuid)
            .append("key", key.pattern())
            .append("unique", BsonBoolean.valueOf(unique))
            .append("noBalance", BsonBoolean.FALSE));
        var map = catalog.chunkMap(ns);
        Placement.pushVersions(config, catalog, ns, map, new ChunkVersion(0, 0, epoch, timestamp));
        return new BsonDocument("collectionsharded", new BsonString(ns)).append("collectionUUID", uuid)
            .append("ok", new org.bson.BsonDouble(1.0));
    }

    /**
     * Whether an existing index can serve as the shard key's index, as mongod decides ({@link ShardKeyPattern#isServedBy}:
     * so {@code _id_} serves {@code {_id: 1}}, and {@code {a: 1, b: 1}} serves {@code {a: 1}}); for a unique shard key,
     * an index on exactly the key that is unique itself.
     */
    static boolean hasShardKeyIndex(List<BsonDocument> indexes, ShardKeyPattern shardKey, boolean unique) {
        for (BsonDocument index : indexes) {
            if (!shardKey.isServedBy(index)) {
                continue;
            }
            if (!unique || (index.getDocument("key").size() == shardKey.pattern().size() && (index.getBoolean("unique", BsonBoolean.FALSE).getValue()
                || index.getString("name", new BsonString("")).getValue().equals("_id_")))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code prefix}'s fields are the first fields of {@code key} (direction aside). */
    public static boolean isPrefix(BsonDocument prefix, BsonDocument key) {
        List<String> p = new ArrayList<>(prefix.keySet());
        List<String> k = new ArrayList<>(key.keySet());
        return k.size() >= p.size() && k.subList(0, p.size()).equals(p);
    }

    public static String indexName(BsonDocument key) {
        StringBuilder name = new StringBuilder();
        key.forEach((f, v) -> {
            if (name.length() > 0) {
                name.append('_');
            }
            name.append(f).append('_').append(v.isString() ? v.asString().getValue() : String.valueOf(v.asNumber().intValue()));
        });
        return name.toString();
    }
}
