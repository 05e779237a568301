package io.shardstore.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bson.BsonBinarySubType;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.result.DeleteResult;
import com.mongodb.client.result.InsertManyResult;
import com.mongodb.client.result.UpdateResult;

/** Inserts, finds, updates, replaces, deletes and bulk writes through the driver's CRUD API and raw commands. */
class CrudTest extends ConformanceTestBase {

    @Test
    void insertOneGeneratesObjectIdWhenMissing() {
        Document doc = new Document("a", 1);
        coll.insertOne(doc);
        Document stored = coll.find().first();
        assertNotNull(stored);
        assertInstanceOf(ObjectId.class, stored.get("_id"));
        assertEquals(doc.get("_id"), stored.get("_id"));
    }

    @Test
    void insertOneKeepsExplicitId() {
        coll.insertOne(new Document("_id", "k1").append("a", 1));
        Document stored = coll.find(Filters.eq("_id", "k1")).first();
        assertNotNull(stored);
        assertEquals(1, stored.getInteger("a"));
    }

    @Test
    void idIsStoredAsFirstField() {
        coll.insertOne(new Document("a", 1).append("_id", 7).append("b", 2));
        Document stored = coll.find().first();
        assertEquals(List.of("_id", "a", "b"), new ArrayList<>(stored.keySet()));
    }

    @Test
    void insertManyInsertsAll() {
        InsertManyResult result = coll.insertMany(List.of(new Document("x", 1), new Document("x", 2), new Document("x", 3)));
        assertEquals(3, result.getInsertedIds().size());
        assertEquals(3, coll.countDocuments());
    }

    @Test
    void orderedInsertManyStopsAtFirstDuplicate() {
        coll.insertOne(new Document("_id", 2));
        MongoBulkWriteException e = assertThrows(MongoBulkWriteException.class, () -> coll.insertMany(List.of(
            new Document("_id", 1), new Document("_id", 2), new Document("_id", 3))));
        assertEquals(1, e.getWriteErrors().size());
        assertEquals(1, e.getWriteErrors().get(0).getIndex());
        assertEquals(11000, e.getWriteErrors().get(0).getCode());
        assertEquals(1, e.getWriteResult().getInsertedCount());
        assertEquals(List.of(1, 2), ids(new Document()));
    }

    @Test
    void unorderedInsertManyContinuesPastDuplicate() {
        coll.insertOne(new Document("_id", 2));
        MongoBulkWriteException e = assertThrows(MongoBulkWriteException.class, () -> coll.insertMany(List.of(
            new Document("_id", 1), new Document("_id", 2), new Document("_id", 3)), new InsertManyOptions().ordered(false)));
        assertEquals(1, e.getWriteErrors().size());
        assertEquals(2, e.getWriteResult().getInsertedCount());
        assertEquals(List.of(1, 2, 3), ids(new Document()));
    }

    @Test
    void duplicateIdWithinOneBatchIsRejected() {
        MongoBulkWriteException e = assertThrows(MongoBulkWriteException.class,
            () -> coll.insertMany(List.of(new Document("_id", 1), new Document("_id", 1))));
        assertEquals(11000, e.getWriteErrors().get(0).getCode());
        assertEquals(1, coll.countDocuments());
    }

    @Test
    void insertCommandReplyCountsDocuments() {
        Document reply = run(new Document("insert", coll.getNamespace().getCollectionName())
            .append("documents", List.of(new Document("_id", 1), new Document("_id", 2))));
        assertEquals(1.0, ((Number) reply.get("ok")).doubleValue());
        assertEquals(2, reply.getInteger("n"));
        assertFalse(reply.containsKey("writeErrors"));
    }

    @Test
    void insertCommandReportsWriteErrorsWithOkOne() {
        coll.insertOne(new Document("_id", 1));
        Document reply = run(new Document("insert", coll.getNamespace().getCollectionName())
            .append("documents", List.of(new Document("_id", 1), new Document("_id", 2))).append("ordered", false));
        assertEquals(1.0, ((Number) reply.get("ok")).doubleValue());
        assertEquals(1, reply.getInteger("n"));
        List<Document> errors = reply.getList("writeErrors", Document.class);
        assertEquals(1, errors.size());
        assertEquals(0, errors.get(0).getInteger("index"));
        assertEquals(11000, errors.get(0).getInteger("code"));
    }

    /** Issue 10, item 8: mongod refuses an _id holding $-prefixed fields (DollarPrefixedFieldName, 52) and stores nothing for it. */
    @Test
    void orderedInsertStopsAtDollarPrefixedId() {
        Document reply = run(new Document("insert", coll.getNamespace().getCollectionName())
            .append("documents", List.of(new Document("_id", 1), new Document("_id", new Document("$a", 1)), new Document("_id", 3))));
        assertEquals(1, reply.getInteger("n"), reply.toJson());
        List<Document> errors = reply.getList("writeErrors", Document.class);
        assertEquals(1, errors.size(), reply.toJson());
        assertEquals(1, errors.get(0).getInteger("index"));
        assertEquals(52, errors.get(0).getInteger("code"));
        assertEquals(List.of(1), ids(new Document()), "only the document before the error is stored");
    }

    @Test
    void unorderedInsertSkipsOnlyDollarPrefixedIds() {
        Document reply = run(new Document("insert", coll.getNamespace().getCollectionName())
            .append("documents", List.of(new Document("_id", new Document("$a", 1)), new Document("_id", 2),
                new Document("_id", new Document("b", 1).append("$c", 2)), new Document("_id", 4)))
            .append("ordered", false));
        assertEquals(2, reply.getInteger("n"), reply.toJson());
        List<Document> errors = reply.getList("writeErrors", Document.class);
        assertEquals(List.of(0, 2), errors.stream().map(e -> e.getInteger("index")).toList(), reply.toJson());
        assertEquals(List.of(52, 52), errors.stream().map(e -> e.getInteger("code")).toList());
        assertEquals(List.of(2, 4), ids(new Document()));
    }

    @Test
    void unorderedInsertIndexesDuplicatesAfterARefusedId() {
        coll.insertOne(new Document("_id", 3));
        Document reply = run(new Document("insert", coll.getNamespace().getCollectionName())
            .append("documents", List.of(new Document("_id", new Document("$a", 1)), new Document("_id", 2), new Document("_id", 3)))
            .append("ordered", false));
        assertEquals(1, reply.getInteger("n"), reply.toJson());
        List<Document> errors = reply.getList("writeErrors", Document.class);
        assertEquals(List.of(0, 2), errors.stream().map(e -> e.getInteger("index")).toList(), reply.toJson());
        assertEquals(List.of(52, 11000), errors.stream().map(e -> e.getInteger("code")).toList());
        assertEquals(List.of(2, 3), ids(new Document()));
    }

    @Test
    void findOneWithoutMatchIsNull() {
        coll.insertOne(new Document("a", 1));
        assertNull(coll.find(Filters.eq("a", 2)).first());
    }

    @Test
    void findOnMissingCollectionIsEmpty() {
        assertNull(db.getCollection("never_created").find().first());
    }

    @Test
    void findWithInclusionProjection() {
        coll.insertOne(new Document("_id", 1).append("a", 1).append("b", 2).append("c", 3));
        Document d = coll.find().projection(Projections.include("a", "c")).first();
        assertEquals(new Document("_id", 1).append("a", 1).append("c", 3), d);
    }

    @Test
    void findWithExclusionProjection() {
        coll.insertOne(new Document("_id", 1).append("a", 1).append("b", 2));
        Document d = coll.find().projection(Projections.exclude("b")).first();
        assertEquals(new Document("_id", 1).append("a", 1), d);
    }

    @Test
    void findProjectionCanHideId() {
        coll.insertOne(new Document("_id", 1).append("a", 1).append("b", 2));
        Document d = coll.find().projection(Projections.fields(Projections.include("a"), Projections.excludeId())).first();
        assertEquals(new Document("a", 1), d);
    }

    @Test
    void findProjectionOfNestedField() {
        coll.insertOne(new Document("_id", 1).append("a", new Document("x", 1).append("y", 2)));
        Document d = coll.find().projection(Projections.include("a.y")).first();
        assertEquals(new Document("_id", 1).append("a", new Document("y", 2)), d);
    }

    @Test
    void updateOneReportsMatchedAndModified() {
        coll.insertMany(List.of(new Document("k", 1), new Document("k", 1)));
        UpdateResult r = coll.updateOne(Filters.eq("k", 1), Updates.set("v", 5));
        assertEquals(1, r.getMatchedCount());
        assertEquals(1, r.getModifiedCount());
        assertEquals(1, coll.countDocuments(Filters.eq("v", 5)));
    }

    @Test
    void updateManyModifiesAllMatches() {
        coll.insertMany(List.of(new Document("k", 1), new Document("k", 1), new Document("k", 2)));
        UpdateResult r = coll.updateMany(Filters.eq("k", 1), Updates.set("v", 5));
        assertEquals(2, r.getMatchedCount());
        assertEquals(2, r.getModifiedCount());
        assertEquals(2, coll.countDocuments(Filters.eq("v", 5)));
    }

    @Test
    void updateThatChangesNothingIsNotCountedAsModified() {
        coll.insertOne(new Document("_id", 1).append("v", 5));
        UpdateResult r = coll.updateOne(Filters.eq("_id", 1), Updates.set("v", 5));
        assertEquals(1, r.getMatchedCount());
        assertEquals(0, r.getModifiedCount());
    }

    @Test
    void updateWithoutMatchChangesNothing() {
        coll.insertOne(new Document("_id", 1));
        UpdateResult r = coll.updateOne(Filters.eq("_id", 2), Updates.set("v", 5));
        assertEquals(0, r.getMatchedCount());
        assertEquals(0, r.getModifiedCount());
        assertNull(r.getUpsertedId());
        assertEquals(1, coll.countDocuments());
    }

    @ShardedDifference("an upsert needs the full shard key in its query (ShardKeyNotFound 61)")

    @Test
    void upsertInsertsDocumentBuiltFromQueryAndUpdate() {
        UpdateResult r = coll.updateOne(Filters.eq("name", "x"), Updates.set("v", 1), new UpdateOptions().upsert(true));
        assertEquals(0, r.getMatchedCount());
        assertNotNull(r.getUpsertedId());
        Document d = coll.find().first();
        assertEquals("x", d.getString("name"));
        assertEquals(1, d.getInteger("v"));
        assertEquals(r.getUpsertedId().asObjectId().getValue(), d.getObjectId("_id"));
    }

    @Test
    void upsertTakesIdFromEqualityQuery() {
        UpdateResult r = coll.updateOne(Filters.eq("_id", 42), Updates.set("v", 1), new UpdateOptions().upsert(true));
        assertEquals(42, r.getUpsertedId().asInt32().getValue());
        assertEquals(new Document("_id", 42).append("v", 1), coll.find().first());
    }

    @Test
    void upsertUpdatesWhenMatchExists() {
        coll.insertOne(new Document("_id", 1).append("v", 0));
        UpdateResult r = coll.updateOne(Filters.eq("_id", 1), Updates.set("v", 1), new UpdateOptions().upsert(true));
        assertEquals(1, r.getMatchedCount());
        assertNull(r.getUpsertedId());
        assertEquals(1, coll.countDocuments());
    }

    @Test
    void updateCommandReplyReportsUpserted() {
        Document reply = run(new Document("update", coll.getNamespace().getCollectionName()).append("updates", List.of(
            new Document("q", new Document("_id", 1)).append("u", new Document("$set", new Document("a", 1))),
            new Document("q", new Document("_id", 2)).append("u", new Document("$set", new Document("a", 1))).append("upsert", true))));
        assertEquals(1, reply.getInteger("n"));
        assertEquals(0, reply.getInteger("nModified"));
        List<Document> upserted = reply.getList("upserted", Document.class);
        assertEquals(1, upserted.size());
        assertEquals(1, upserted.get(0).getInteger("index"));
        assertEquals(2, upserted.get(0).getInteger("_id"));
    }

    @Test
    void replaceOneReplacesWholeDocumentAndKeepsId() {
        coll.insertOne(new Document("_id", 1).append("a", 1).append("b", 2));
        UpdateResult r = coll.replaceOne(Filters.eq("_id", 1), new Document("c", 3));
        assertEquals(1, r.getModifiedCount());
        assertEquals(new Document("_id", 1).append("c", 3), coll.find().first());
    }

    @Test
    void replaceOneWithUpsertInserts() {
        UpdateResult r = coll.replaceOne(Filters.eq("_id", 5), new Document("c", 3), new ReplaceOptions().upsert(true));
        assertEquals(5, r.getUpsertedId().asInt32().getValue());
        assertEquals(new Document("_id", 5).append("c", 3), coll.find().first());
    }

    @Test
    void replaceCannotChangeId() {
        coll.insertOne(new Document("_id", 1).append("a", 1));
        MongoWriteException e = assertThrows(MongoWriteException.class,
            () -> coll.replaceOne(Filters.eq("_id", 1), new Document("_id", 2).append("a", 2)));
        assertEquals(66, e.getError().getCode());
        assertEquals(new Document("_id", 1).append("a", 1), coll.find().first());
    }

    @Test
    void deleteOneRemovesOnlyOne() {
        coll.insertMany(List.of(new Document("k", 1), new Document("k", 1)));
        DeleteResult r = coll.deleteOne(Filters.eq("k", 1));
        assertEquals(1, r.getDeletedCount());
        assertEquals(1, coll.countDocuments());
    }

    @Test
    void deleteManyRemovesAllMatches() {
        coll.insertMany(List.of(new Document("k", 1), new Document("k", 1), new Document("k", 2)));
        DeleteResult r = coll.deleteMany(Filters.eq("k", 1));
        assertEquals(2, r.getDeletedCount());
        assertEquals(1, coll.countDocuments());
    }

    @Test
    void deleteManyWithEmptyFilterRemovesEverything() {
        insertNumbered(5);
        assertEquals(5, coll.deleteMany(new Document()).getDeletedCount());
        assertEquals(0, coll.countDocuments());
    }

    @Test
    void deleteWithoutMatchDeletesNothing() {
        insertNumbered(2);
        assertEquals(0, coll.deleteOne(Filters.eq("_id", 99)).getDeletedCount());
        assertEquals(2, coll.countDocuments());
    }

    @Test
    void countDocumentsWithFilter() {
        insertNumbered(10);
        assertEquals(10, coll.countDocuments());
        assertEquals(4, coll.countDocuments(Filters.lt("n", 4)));
    }

    @Test
    void estimatedDocumentCount() {
        insertNumbered(7);
        assertEquals(7, coll.estimatedDocumentCount());
    }

    @Test
    void bulkWriteMixedOperations() {
        coll.insertMany(List.of(new Document("_id", 1), new Document("_id", 2)));
        BulkWriteResult r = coll.bulkWrite(List.of(
            new InsertOneModel<>(new Document("_id", 3)),
            new UpdateOneModel<>(Filters.eq("_id", 1), Updates.set("x", 1)),
            new DeleteOneModel<>(Filters.eq("_id", 2)),
            new UpdateOneModel<>(Filters.eq("_id", 9), Updates.set("x", 9), new UpdateOptions().upsert(true))),
            new BulkWriteOptions().ordered(true));
        assertEquals(1, r.getInsertedCount());
        assertEquals(1, r.getMatchedCount());
        assertEquals(1, r.getModifiedCount());
        assertEquals(1, r.getDeletedCount());
        assertEquals(1, r.getUpserts().size());
        assertEquals(3, r.getUpserts().get(0).getIndex());
        assertEquals(List.of(1, 3, 9), ids(new Document()));
    }

    @Test
    void nestedDocumentsAndArraysRoundTrip() {
        Document doc = new Document("_id", 1)
            .append("a", new Document("b", new Document("c", List.of(1, 2, new Document("d", "e")))))
            .append("empty", new Document())
            .append("list", List.of());
        coll.insertOne(doc);
        assertEquals(doc, coll.find().first());
    }

    @Test
    void bsonTypesRoundTrip() {
        Date when = new Date(1_700_000_000_000L);
        Document doc = new Document("_id", 1)
            .append("i", 1).append("l", 1L << 40).append("d", 1.5)
            .append("dec", Decimal128.parse("12.345"))
            .append("s", "text").append("t", true).append("n", null)
            .append("date", when)
            .append("bin", new Binary(BsonBinarySubType.BINARY, new byte[] {1, 2, 3}))
            .append("oid", new ObjectId("5f0000000000000000000001"));
        coll.insertOne(doc);
        Document stored = coll.find().first();
        assertInstanceOf(Integer.class, stored.get("i"));
        assertInstanceOf(Long.class, stored.get("l"));
        assertInstanceOf(Double.class, stored.get("d"));
        assertEquals(Decimal128.parse("12.345"), stored.get("dec"));
        assertEquals(when, stored.getDate("date"));
        assertTrue(stored.containsKey("n"));
        assertNull(stored.get("n"));
        assertEquals(doc, stored);
    }

    @Test
    void deleteCommandReplyCountsDeleted() {
        insertNumbered(4);
        Document reply = run(new Document("delete", coll.getNamespace().getCollectionName()).append("deletes", List.of(
            new Document("q", new Document("n", new Document("$lt", 2))).append("limit", 0),
            new Document("q", new Document("n", 3)).append("limit", 1))));
        assertEquals(3, reply.getInteger("n"));
        assertEquals(List.of(2), ids(new Document()));
    }
}
