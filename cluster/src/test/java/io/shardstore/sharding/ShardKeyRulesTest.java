package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;

/**
 * The shard-key rules the product's users asked for: an insert missing a shard-key field is refused (61)
 * and written nowhere; an update that would change a shard key is refused (66) and leaves the document
 * as it was; a unique index must start with the shard key (67).
 */
class ShardKeyRulesTest extends ShardedClusterTestBase {
    static MongoCollection<Document> orders;

    @BeforeAll
    static void data() {
        rangeShard("rules.orders", "customer", 100, 200);
        orders = router.getDatabase("rules").getCollection("orders");
        orders.insertOne(new Document("_id", "o1").append("customer", 150).append("total", 10));
    }

    private static long everywhere(Document filter) {
        long n = 0;
        for (int i = 0; i < 3; i++) {
            n += countOnShard(i, "rules", "orders", filter);
        }
        return n;
    }

    @Test
    void insertWithoutShardKeyIsRejectedAndWrittenNowhere() {
        MongoWriteException e = assertThrows(MongoWriteException.class,
            () -> orders.insertOne(new Document("_id", "nokey").append("total", 1)));
        assertEquals(61, e.getError().getCode());
        assertTrue(e.getError().getMessage().contains("customer"), e.getError().getMessage());
        assertEquals(0, everywhere(new Document("_id", "nokey")));
    }

    @Test
    void orderedBatchStopsAtTheDocumentWithoutShardKey() {
        MongoBulkWriteException e = assertThrows(MongoBulkWriteException.class, () -> orders.insertMany(List.of(
            new Document("_id", "b1").append("customer", 11), new Document("_id", "b2"),
            new Document("_id", "b3").append("customer", 251))));
        assertEquals(1, e.getWriteErrors().size(), e.getWriteErrors().toString());
        assertEquals(1, e.getWriteErrors().get(0).getIndex());
        assertEquals(61, e.getWriteErrors().get(0).getCode());
        assertEquals(1, everywhere(new Document("_id", "b1")));
        assertEquals(0, everywhere(new Document("_id", "b2")));
        assertEquals(0, everywhere(new Document("_id", "b3")));
    }

    @Test
    void unorderedBatchWritesEveryDocumentThatHasTheKey() {
        MongoBulkWriteException e = assertThrows(MongoBulkWriteException.class, () -> orders.insertMany(List.of(
            new Document("_id", "u1").append("customer", 21), new Document("_id", "u2"),
            new Document("_id", "u3").append("customer", 252)), new InsertManyOptions().ordered(false)));
        assertEquals(1, e.getWriteErrors().size());
        assertEquals(1, e.getWriteErrors().get(0).getIndex());
        assertEquals(2, e.getWriteResult().getInsertedCount());
        assertEquals(1, everywhere(new Document("_id", "u1")));
        assertEquals(1, everywhere(new Document("_id", "u3")));
        assertEquals(0, everywhere(new Document("_id", "u2")));
    }

    @Test
    void changingTheShardKeyIsRejectedAndTheDocumentIsUnchanged() {
        for (var update : List.of(Updates.set("customer", 151), Updates.inc("customer", 1), Updates.unset("customer"),
            Updates.rename("customer", "client"))) {
            MongoWriteException e = assertThrows(MongoWriteException.class, () -> orders.updateOne(Filters.eq("customer", 150), update));
            assertEquals(66, e.getError().getCode(), update.toString());
        }
        MongoWriteException byId = assertThrows(MongoWriteException.class,
            () -> orders.updateOne(Filters.eq("_id", "o1"), Updates.set("customer", 999)));
        assertEquals(66, byId.getError().getCode());
        MongoWriteException replace = assertThrows(MongoWriteException.class,
            () -> orders.replaceOne(Filters.eq("customer", 150), new Document("customer", 7).append("total", 10)));
        assertEquals(66, replace.getError().getCode());
        Document now = orders.find(Filters.eq("_id", "o1")).first();
        assertEquals(150, now.getInteger("customer"));
        assertEquals(10, now.getInteger("total"));
        assertEquals(1, everywhere(new Document("_id", "o1")));
    }

    @Test
    void findAndModifyMayNotChangeTheShardKey() {
        MongoCommandException e = assertThrows(MongoCommandException.class,
            () -> orders.findOneAndUpdate(Filters.eq("customer", 150), Updates.set("customer", 3)));
        assertEquals(66, e.getErrorCode());
        assertEquals(150, orders.find(Filters.eq("_id", "o1")).first().getInteger("customer"));
    }

    @Test
    void settingTheShardKeyToItsOwnValueIsAllowed() {
        assertEquals(1, orders.updateOne(Filters.eq("customer", 150), Updates.combine(Updates.set("customer", 150),
            Updates.set("seen", true))).getMatchedCount());
        assertEquals(1, orders.replaceOne(Filters.eq("customer", 150), new Document("customer", 150).append("total", 10)
            .append("seen", true), new ReplaceOptions()).getMatchedCount());
        assertEquals(150, orders.find(Filters.eq("_id", "o1")).first().getInteger("customer"));
    }

    @Test
    void uniqueIndexMustStartWithTheShardKey() {
        MongoCommandException e = assertThrows(MongoCommandException.class,
            () -> orders.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true)));
        assertEquals(67, e.getErrorCode());
        for (int i = 0; i < 3; i++) {
            int shard = i;
            assertTrue(shards.get(i).getDatabase("rules").getCollection("orders").listIndexes().into(new java.util.ArrayList<>())
                .stream().noneMatch(ix -> ix.getString("name").startsWith("email")), "no email index on shard" + shard);
        }
        assertEquals("customer_1_email_1", orders.createIndex(Indexes.ascending("customer", "email"), new IndexOptions().unique(true)));
    }

    @Test
    void shardingOverAUniqueIndexWithoutTheKeyPrefixIsRefused() {
        MongoCollection<Document> users = router.getDatabase("rules").getCollection("users");
        users.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
        MongoCommandException e = assertThrows(MongoCommandException.class,
            () -> shardCollection("rules.users", new Document("region", 1)));
        assertEquals(72, e.getErrorCode());
        MongoCommandException hashedUnique = assertThrows(MongoCommandException.class, () -> admin().runCommand(
            new Document("shardCollection", "rules.other").append("key", new Document("k", "hashed")).append("unique", true)));
        assertEquals(72, hashedUnique.getErrorCode());
    }

    /**
     * Users shard a collection that already holds data, on {@code _id} (its {@code _id_} index serves the key), on a
     * field with a compound index that starts with it, and on a hashed key: each was refused before (85, 48).
     */
    @Test
    void anExistingCollectionShardsOnIdOnAnIndexPrefixAndOnAHashedKey() {
        for (String name : List.of("byId", "byPrefix", "byHash")) {
            MongoCollection<Document> c = router.getDatabase("existing").getCollection(name);
            for (int i = 0; i < 20; i++) {
                c.insertOne(new Document("_id", i).append("a", i % 5).append("b", i));
            }
        }
        router.getDatabase("existing").getCollection("byPrefix").createIndex(Indexes.ascending("a", "b"));
        admin().runCommand(new Document("enableSharding", "existing"));
        for (var keyed : List.of(List.of("existing.byId", new Document("_id", 1)), List.of("existing.byPrefix", new Document("a", 1)),
            List.of("existing.byHash", new Document("_id", "hashed")))) {
            String ns = (String) keyed.get(0);
            Document reply = admin().runCommand(new Document("shardCollection", ns).append("key", keyed.get(1)));
            assertEquals(ns, reply.getString("collectionsharded"), reply.toJson());
            MongoCollection<Document> c = router.getDatabase("existing").getCollection(ns.substring("existing.".length()));
            assertEquals(20, c.countDocuments(), ns);
            assertEquals(1, c.countDocuments(Filters.eq("_id", 7)), ns);
        }
        List<String> prefixIndexes = router.getDatabase("existing").getCollection("byPrefix").listIndexes().into(new java.util.ArrayList<>())
            .stream().map(ix -> ix.getString("name")).sorted().toList();
        assertEquals(List.of("_id_", "a_1_b_1"), prefixIndexes, "the compound index serves {a: 1}: no second index, as in mongod");
        List<String> idIndexes = router.getDatabase("existing").getCollection("byId").listIndexes().into(new java.util.ArrayList<>())
            .stream().map(ix -> ix.getString("name")).toList();
        assertEquals(List.of("_id_"), idIndexes);
    }

    /**
     * As mongod 6.0+: dropIndexes("*") keeps the indexes that serve the shard key, and dropping the last of them is
     * refused (370) on every shard alike; with another index that starts with the key, the first may go. A hashed key's
     * index is built by shardCollection and kept the same way.
     */
    @Test
    void theLastIndexThatServesTheShardKeyCannotBeDropped() {
        rangeShard("rules.keyed", "k", 100);
        MongoCollection<Document> keyed = router.getDatabase("rules").getCollection("keyed");
        keyed.insertOne(new Document("k", 5).append("x", 1));
        keyed.createIndex(Indexes.ascending("x"));
        MongoCommandException last = assertThrows(MongoCommandException.class, () -> keyed.dropIndex("k_1"));
        assertEquals(370, last.getErrorCode(), last.getMessage());
        assertEquals("CannotDropShardKeyIndex", last.getErrorCodeName());
        keyed.dropIndexes();
        assertEquals(List.of("_id_", "k_1"), names(keyed), "'*' keeps the shard key's index and drops the rest");
        for (int shard = 0; shard < 3; shard++) {
            List<String> onShard = names(shards.get(shard).getDatabase("rules").getCollection("keyed"));
            assertTrue(onShard.isEmpty() || onShard.equals(List.of("_id_", "k_1")), "shard" + shard + ": " + onShard);
        }
        keyed.createIndex(Indexes.ascending("k", "x"));
        keyed.dropIndex("k_1"); // k_1_x_1 serves the key now
        assertEquals(List.of("_id_", "k_1_x_1"), names(keyed));
        assertEquals(370, assertThrows(MongoCommandException.class, () -> keyed.dropIndex(Indexes.ascending("k", "x"))).getErrorCode());

        admin().runCommand(new Document("shardCollection", "rules.hashedKey").append("key", new Document("h", "hashed")));
        MongoCollection<Document> hashed = router.getDatabase("rules").getCollection("hashedKey");
        assertEquals(List.of("_id_", "h_hashed"), names(hashed), "shardCollection builds the hashed key's index, as mongos");
        hashed.dropIndexes();
        assertEquals(List.of("_id_", "h_hashed"), names(hashed));
        assertEquals(370, assertThrows(MongoCommandException.class, () -> hashed.dropIndex("h_hashed")).getErrorCode());
    }

    private static List<String> names(MongoCollection<Document> c) {
        List<String> names = new java.util.ArrayList<>();
        c.listIndexes().forEach(d -> names.add(d.getString("name")));
        names.sort(null);
        return names;
    }

    @Test
    void upsertWithoutTheFullShardKeyIsRefused() {
        MongoWriteException e = assertThrows(MongoWriteException.class, () -> orders.updateOne(Filters.eq("total", 12345),
            Updates.set("x", 1), new com.mongodb.client.model.UpdateOptions().upsert(true)));
        assertEquals(61, e.getError().getCode());
        assertEquals(0, everywhere(new Document("total", 12345)));
    }
}
