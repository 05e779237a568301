package io.shardstore.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;

/** createIndexes, listIndexes, dropIndexes and unique-index enforcement. */
class IndexTest extends ConformanceTestBase {

    /**
     * The index names, sorted, without the shard key's own index: a collection sharded on a hashed key has
     * {@code _id_hashed} through the router, as on mongos (shardCollection builds it, and dropIndexes keeps it), where a
     * mongod's unsharded collection has none. The counts below add it likewise ({@link ConformanceTarget#shardKeyIndexes}).
     */
    private List<String> indexNames() {
        List<String> names = new ArrayList<>();
        coll.listIndexes().forEach(d -> names.add(d.getString("name")));
        names.removeAll(ConformanceTarget.shardKeyIndexes());
        names.sort(null);
        return names;
    }

    /** {@code n} indexes, and the shard key's own index when the target has one. */
    private static int indexes(int n) {
        return n + ConformanceTarget.shardKeyIndexes().size();
    }

    private Document index(String name) {
        for (Document d : coll.listIndexes()) {
            if (name.equals(d.getString("name"))) {
                return d;
            }
        }
        return null;
    }

    @Test
    void newCollectionHasIdIndex() {
        coll.insertOne(new Document("a", 1));
        Document id = index("_id_");
        assertEquals(new Document("_id", 1), id.get("key"));
        assertEquals(2, ((Number) id.get("v")).intValue());
    }

    @Test
    void createIndexNamesAfterKeys() {
        assertEquals("a_1", coll.createIndex(Indexes.ascending("a")));
        assertEquals("b_1_c_-1", coll.createIndex(Indexes.compoundIndex(Indexes.ascending("b"), Indexes.descending("c"))));
        assertEquals(List.of("_id_", "a_1", "b_1_c_-1"), indexNames());
    }

    @Test
    void createIndexWithCustomName() {
        assertEquals("my_idx", coll.createIndex(Indexes.ascending("a"), new IndexOptions().name("my_idx")));
        assertEquals(new Document("a", 1), index("my_idx").get("key"));
    }

    @ShardedDifference("sharding the test collection creates it")

    @Test
    void createIndexesCreatesCollectionAndReportsCounts() {
        Document reply = run(new Document("createIndexes", coll.getNamespace().getCollectionName())
            .append("indexes", List.of(new Document("key", new Document("a", 1)).append("name", "a_1"))));
        assertEquals(indexes(1), reply.getInteger("numIndexesBefore"));
        assertEquals(indexes(2), reply.getInteger("numIndexesAfter"));
        assertEquals(true, reply.getBoolean("createdCollectionAutomatically"));
    }

    @Test
    void createExistingIndexAgainIsANoOp() {
        coll.createIndex(Indexes.ascending("a"));
        Document reply = run(new Document("createIndexes", coll.getNamespace().getCollectionName())
            .append("indexes", List.of(new Document("key", new Document("a", 1)).append("name", "a_1"))));
        assertEquals(indexes(2), reply.getInteger("numIndexesBefore"));
        assertEquals(indexes(2), reply.getInteger("numIndexesAfter"));
        assertEquals("all indexes already exist", reply.getString("note"));
        assertEquals(List.of("_id_", "a_1"), indexNames());
    }

    @ShardedDifference("a unique index must start with the shard key (CannotCreateIndex 67)")

    @Test
    void uniqueIndexIsListedAsUnique() {
        coll.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
        assertEquals(true, index("email_1").getBoolean("unique"));
    }

    @ShardedDifference("a unique index must start with the shard key (CannotCreateIndex 67)")

    @Test
    void uniqueIndexRejectsDuplicateInsert() {
        coll.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
        coll.insertOne(new Document("email", "a@x"));
        MongoWriteException e = assertThrows(MongoWriteException.class, () -> coll.insertOne(new Document("email", "a@x")));
        assertEquals(11000, e.getError().getCode());
        assertEquals(1, coll.countDocuments());
    }

    @ShardedDifference("a unique index must start with the shard key (CannotCreateIndex 67)")

    @Test
    void uniqueIndexRejectsDuplicateByUpdate() {
        coll.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
        coll.insertMany(List.of(new Document("_id", 1).append("email", "a"), new Document("_id", 2).append("email", "b")));
        MongoWriteException e = assertThrows(MongoWriteException.class,
            () -> coll.updateOne(Filters.eq("_id", 2), Updates.set("email", "a")));
        assertEquals(11000, e.getError().getCode());
        assertEquals("b", coll.find(Filters.eq("_id", 2)).first().getString("email"));
    }

    @ShardedDifference("a unique index must start with the shard key (CannotCreateIndex 67)")

    @Test
    void uniqueIndexTreatsMissingFieldAsNull() {
        coll.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
        coll.insertOne(new Document("_id", 1));
        MongoWriteException e = assertThrows(MongoWriteException.class, () -> coll.insertOne(new Document("_id", 2)));
        assertEquals(11000, e.getError().getCode());
    }

    @ShardedDifference("a unique index must start with the shard key (CannotCreateIndex 67)")

    @Test
    void sparseUniqueIndexAllowsManyMissing() {
        coll.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true).sparse(true));
        coll.insertOne(new Document("_id", 1));
        coll.insertOne(new Document("_id", 2));
        coll.insertOne(new Document("_id", 3).append("email", "a"));
        assertThrows(MongoWriteException.class, () -> coll.insertOne(new Document("_id", 4).append("email", "a")));
        assertEquals(3, coll.countDocuments());
    }

    @ShardedDifference("a unique index must start with the shard key (CannotCreateIndex 67)")

    @Test
    void compoundUniqueIndexConsidersAllKeys() {
        coll.createIndex(Indexes.ascending("a", "b"), new IndexOptions().unique(true));
        coll.insertOne(new Document("a", 1).append("b", 1));
        coll.insertOne(new Document("a", 1).append("b", 2));
        MongoWriteException e = assertThrows(MongoWriteException.class, () -> coll.insertOne(new Document("a", 1).append("b", 2)));
        assertEquals(11000, e.getError().getCode());
    }

    @ShardedDifference("a unique index must start with the shard key (CannotCreateIndex 67)")

    @Test
    void uniqueIndexOverExistingDuplicatesFails() {
        coll.insertMany(List.of(new Document("k", 1), new Document("k", 1)));
        // The driver reports this one as a DuplicateKeyException; any server exception with the code will do.
        MongoServerException e = assertThrows(MongoServerException.class,
            () -> coll.createIndex(Indexes.ascending("k"), new IndexOptions().unique(true)));
        assertEquals(11000, e.getCode());
        assertEquals(List.of("_id_"), indexNames());
    }

    @Test
    void dropIndexByName() {
        coll.createIndex(Indexes.ascending("a"));
        coll.createIndex(Indexes.ascending("b"));
        coll.dropIndex("a_1");
        assertEquals(List.of("_id_", "b_1"), indexNames());
    }

    @Test
    void dropIndexByKey() {
        coll.createIndex(Indexes.ascending("a"));
        coll.dropIndex(Indexes.ascending("a"));
        assertEquals(List.of("_id_"), indexNames());
    }

    @Test
    void dropAllIndexesKeepsIdIndex() {
        coll.createIndex(Indexes.ascending("a"));
        coll.createIndex(Indexes.descending("b"));
        coll.dropIndexes();
        assertEquals(List.of("_id_"), indexNames());
    }

    @Test
    void dropIndexesReportsPreviousCount() {
        coll.createIndex(Indexes.ascending("a"));
        Document reply = run(new Document("dropIndexes", coll.getNamespace().getCollectionName()).append("index", "a_1"));
        assertEquals(indexes(2), reply.getInteger("nIndexesWas"));
    }

    @Test
    void droppingMissingIndexFailsWithIndexNotFound() {
        coll.insertOne(new Document("a", 1));
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> coll.dropIndex("nope_1"));
        assertEquals(27, e.getErrorCode());
    }

    @Test
    void idIndexCannotBeDropped() {
        coll.insertOne(new Document("a", 1));
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> coll.dropIndex("_id_"));
        assertEquals(72, e.getErrorCode());
    }

    @Test
    void sameNameDifferentKeyConflicts() {
        coll.createIndex(Indexes.ascending("a"), new IndexOptions().name("idx"));
        MongoCommandException e = assertThrows(MongoCommandException.class,
            () -> coll.createIndex(Indexes.ascending("b"), new IndexOptions().name("idx")));
        assertEquals(86, e.getErrorCode());
    }

    @ShardedDifference("a unique index must start with the shard key (CannotCreateIndex 67)")

    @Test
    void sameNameWithUniquenessChangedConflicts() {
        coll.createIndex(Indexes.ascending("a"));
        MongoCommandException e = assertThrows(MongoCommandException.class,
            () -> coll.createIndex(Indexes.ascending("a"), new IndexOptions().unique(true)));
        assertEquals(86, e.getErrorCode());
        assertEquals(null, index("a_1").get("unique"));
    }

    @Test
    void sameNameWithOtherOptionsConflicts() {
        coll.createIndex(Indexes.ascending("at"), new IndexOptions().expireAfter(60L, TimeUnit.SECONDS));
        MongoCommandException e = assertThrows(MongoCommandException.class,
            () -> coll.createIndex(Indexes.ascending("at"), new IndexOptions().expireAfter(120L, TimeUnit.SECONDS)));
        assertEquals(85, e.getErrorCode());
        assertEquals("IndexOptionsConflict", e.getErrorCodeName());
    }

    @Test
    void sameKeyUnderAnotherNameConflicts() {
        coll.createIndex(Indexes.ascending("a"), new IndexOptions().name("first"));
        MongoCommandException e = assertThrows(MongoCommandException.class,
            () -> coll.createIndex(Indexes.ascending("a"), new IndexOptions().name("second")));
        assertEquals(85, e.getErrorCode());
        assertEquals(List.of("_id_", "first"), indexNames());
    }

    @Test
    void createIndexesOnExistingCollection() {
        coll.insertOne(new Document("a", 1));
        Document reply = run(new Document("createIndexes", coll.getNamespace().getCollectionName())
            .append("indexes", List.of(new Document("key", new Document("a", 1)).append("name", "a_1"),
                new Document("key", new Document("b", -1)).append("name", "b_-1"))));
        assertEquals(indexes(1), reply.getInteger("numIndexesBefore"));
        assertEquals(indexes(3), reply.getInteger("numIndexesAfter"));
        assertEquals(false, reply.getBoolean("createdCollectionAutomatically"));
    }

    @Test
    void dropIndexesByListOfNames() {
        coll.createIndex(Indexes.ascending("a"));
        coll.createIndex(Indexes.ascending("b"));
        coll.createIndex(Indexes.ascending("c"));
        run(new Document("dropIndexes", coll.getNamespace().getCollectionName()).append("index", List.of("a_1", "c_1")));
        assertEquals(List.of("_id_", "b_1"), indexNames());
    }

    @Test
    void dropAllIndexesLeavesOtherCollectionsAlone() {
        db.getCollection("neighbour").createIndex(Indexes.ascending("x"));
        coll.createIndex(Indexes.ascending("a"));
        coll.dropIndexes();
        assertEquals(List.of("_id_"), indexNames());
        List<String> neighbour = new ArrayList<>();
        db.getCollection("neighbour").listIndexes().forEach(d -> neighbour.add(d.getString("name")));
        assertTrue(neighbour.contains("x_1"));
    }

    @Test
    void dropIndexesOnMissingCollectionIsNamespaceNotFound() {
        assertEquals(26, commandError(new Document("dropIndexes", "absent").append("index", "a_1")).getErrorCode());
    }

    @Test
    void listIndexesOnMissingCollectionFails() {
        MongoCommandException e = commandError(new Document("listIndexes", "no_such_collection"));
        assertEquals(26, e.getErrorCode());
    }

    @Test
    void ttlIndexKeepsExpireAfterSeconds() {
        coll.createIndex(Indexes.ascending("at"), new IndexOptions().expireAfter(3600L, TimeUnit.SECONDS));
        assertEquals(3600, ((Number) index("at_1").get("expireAfterSeconds")).intValue());
    }

    @Test
    void queriesStillWorkThroughIndex() {
        coll.createIndex(Indexes.ascending("n"));
        insertNumbered(20);
        assertEquals(List.of(3, 4, 5), ids(Filters.and(Filters.gte("n", 3), Filters.lt("n", 6))));
    }

    @Test
    void droppingCollectionDropsItsIndexes() {
        coll.createIndex(Indexes.ascending("a"));
        coll.drop();
        coll.insertOne(new Document("a", 1));
        assertEquals(List.of("_id_"), indexNames());
        assertFalse(indexNames().contains("a_1"));
        assertTrue(indexNames().contains("_id_"));
    }

    // Non-unique indexes: the same data in an indexed and an unindexed collection must answer alike, in
    // the same order, through inserts, updates that move the indexed value, deletes and arrays.

    private MongoCollection<Document> unindexed() {
        return db.getCollection(coll.getNamespace().getCollectionName() + "_plain");
    }

    private void insertBoth(List<Document> docs) {
        coll.insertMany(docs.stream().map(Document::new).toList());
        unindexed().insertMany(docs.stream().map(Document::new).toList());
    }

    private void assertSameAnswers(List<Bson> filters) {
        for (Bson filter : filters) {
            // Through the router, documents from several shards come in no defined order: compare by _id there.
            Bson order = ConformanceTarget.sharded() ? new Document("_id", 1) : new Document();
            assertEquals(unindexed().find(filter).sort(order).into(new ArrayList<>()), coll.find(filter).sort(order).into(new ArrayList<>()),
                filter.toString());
            assertEquals(unindexed().countDocuments(filter), coll.countDocuments(filter), "count " + filter);
        }
    }

    private static List<Document> mixedDocuments() {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Document d = new Document("_id", i).append("x", i % 7);
            switch (i % 6) {
                case 0 -> d.append("n", i % 5);
                case 1 -> d.append("n", (long) (i % 5));
                case 2 -> d.append("n", (double) (i % 5));
                case 3 -> d.append("n", String.valueOf(i % 5));
                case 4 -> d.append("n", List.of(i % 5, 10 + i % 3));
                default -> { } // no n at all
            }
            if (i % 4 == 0) {
                d.append("n2", null);
            }
            d.append("a", List.of(new Document("b", i % 3), new Document("b", List.of(i % 4, 7))));
            d.append("c1", i % 2).append("c2", i % 3 == 0 ? "x" : List.of("x", "y"));
            docs.add(d);
        }
        return docs;
    }

    private static List<Bson> probes() {
        List<Bson> filters = new ArrayList<>();
        for (Object v : new Object[] {0, 1, 2L, 3.0, 4, "1", 10, 11, 12, 99, null}) {
            filters.add(Filters.eq("n", v));
        }
        filters.add(Filters.in("n", 1, "2", 11, 42));
        filters.add(Filters.in("n", List.of()));
        filters.add(Filters.and(Filters.eq("n", 2), Filters.gt("x", 2)));
        filters.add(Filters.and(Filters.eq("x", 3), Filters.eq("n", 3)));
        filters.add(new Document("n", new Document("$eq", 4).append("$ne", 9)));
        filters.add(Filters.eq("n", List.of(4, 10)));
        filters.add(Filters.gt("n", 2));
        filters.add(Filters.ne("n", 1));
        filters.add(Filters.exists("n", false));
        filters.add(Filters.eq("a.b", 1));
        filters.add(Filters.eq("a.b", 7));
        filters.add(Filters.in("a.b", 0, 3));
        filters.add(Filters.and(Filters.eq("c1", 1), Filters.eq("c2", "y")));
        filters.add(Filters.and(Filters.eq("c1", 0), Filters.in("c2", "x", "z")));
        filters.add(Filters.eq("c2", "y"));
        return filters;
    }

    private void createNonUniqueIndexes() {
        coll.createIndex(Indexes.ascending("n"));
        coll.createIndex(Indexes.ascending("a.b"));
        coll.createIndex(Indexes.ascending("c1", "c2"));
    }

    @Test
    void nonUniqueIndexAnswersAsAScan() {
        createNonUniqueIndexes();
        insertBoth(mixedDocuments());
        assertSameAnswers(probes());
    }

    @Test
    void nonUniqueIndexBuiltOverExistingDataAnswersAsAScan() {
        insertBoth(mixedDocuments());
        createNonUniqueIndexes();
        assertSameAnswers(probes());
    }

    @ShardedDifference("findAndModify needs the shard key in its query (ShardKeyNotFound 61)")

    @Test
    void nonUniqueIndexFollowsUpdatesAndDeletes() {
        createNonUniqueIndexes();
        insertBoth(mixedDocuments());
        for (MongoCollection<Document> c : List.of(coll, unindexed())) {
            c.updateMany(Filters.eq("n", 1), Updates.set("n", 42));
            c.updateMany(Filters.eq("x", 2), Updates.set("n", List.of(99, 2)));
            c.updateMany(Filters.eq("n", 99), Updates.push("n", 98));
            c.updateOne(Filters.eq("_id", 5), Updates.set("n", 3));
            c.replaceOne(Filters.eq("_id", 6), new Document("n", List.of(1, 2)).append("a", List.of()));
            c.updateMany(Filters.eq("x", 4), List.of(new Document("$set", new Document("n", "$x"))));
            c.findOneAndUpdate(Filters.eq("n", 42), Updates.set("a", new Document("b", 42)));
            c.deleteMany(Filters.eq("n", 0));
            c.deleteOne(Filters.eq("a.b", 2));
            c.findOneAndDelete(Filters.eq("n", 3));
            c.insertOne(new Document("_id", 100).append("n", 42).append("c1", 1).append("c2", "y"));
        }
        List<Bson> filters = new ArrayList<>(probes());
        filters.add(Filters.eq("n", 42));
        filters.add(Filters.eq("n", 99));
        filters.add(Filters.eq("n", 98));
        filters.add(Filters.eq("a.b", 42));
        assertSameAnswers(filters);
        assertTrue(ids(Filters.and(Filters.eq("n", 42), Filters.eq("c1", 1))).contains(100));
    }

    @Test
    void nonUniqueIndexServesSortSkipLimitDistinctAndDelete() {
        coll.createIndex(Indexes.ascending("g"));
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            docs.add(new Document("_id", i).append("g", i % 3).append("v", 30 - i));
        }
        insertBoth(docs);
        for (MongoCollection<Document> c : List.of(coll, unindexed())) {
            assertEquals(List.of(25, 22, 19), c.find(Filters.eq("g", 1)).sort(new Document("v", 1)).skip(1).limit(3)
                .map(d -> d.getInteger("_id")).into(new ArrayList<>()));
            assertEquals(List.of(2), c.distinct("g", Filters.eq("g", 2), Integer.class).into(new ArrayList<>()));
            assertEquals(10, c.deleteMany(Filters.eq("g", 0)).getDeletedCount());
        }
        assertSameAnswers(List.of(Filters.eq("g", 0), Filters.eq("g", 1), Filters.in("g", 0, 2)));
    }

    @Test
    void droppedNonUniqueIndexNoLongerAnswers() {
        coll.createIndex(Indexes.ascending("n"));
        insertBoth(mixedDocuments());
        coll.dropIndex("n_1");
        coll.updateMany(Filters.eq("x", 1), Updates.set("n", 77));
        unindexed().updateMany(Filters.eq("x", 1), Updates.set("n", 77));
        coll.createIndex(Indexes.ascending("n"));
        assertSameAnswers(List.of(Filters.eq("n", 77), Filters.eq("n", 2)));
    }

    @ShardedDifference("validate through the router reports the primary shard only")

    @Test
    void nonUniqueIndexCountsItsKeysInValidate() {
        coll.createIndex(Indexes.ascending("n"));
        coll.insertMany(List.of(new Document("n", 1), new Document("n", 1), new Document("n", List.of(2, 3)), new Document("m", 1)));
        Document keys = run(new Document("validate", coll.getNamespace().getCollectionName())).get("keysPerIndex", Document.class);
        assertEquals(5, ((Number) keys.get("n_1")).intValue()); // 1, 1, 2, 3 and the missing field's null
        coll.deleteMany(Filters.eq("n", 1));
        keys = run(new Document("validate", coll.getNamespace().getCollectionName())).get("keysPerIndex", Document.class);
        assertEquals(3, ((Number) keys.get("n_1")).intValue());
    }
}
