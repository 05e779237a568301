package io.shardstore.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Field;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import com.mongodb.client.result.UpdateResult;

/** Pipeline-style updates ({@code u} as an array of stages) in update and findAndModify, as MongoDB 7.0 runs them. */
class PipelineUpdateTest extends ConformanceTestBase {

    private static Document expr(String op, Object... args) {
        return new Document(op, List.of(args));
    }

    private Document byId(Object id) {
        return coll.find(Filters.eq("_id", id)).first();
    }

    @Test
    void setComputesFromOtherFieldsAndUnsetRemoves() {
        coll.insertOne(new Document("_id", 1).append("a", 1).append("b", 2).append("c", 3));
        UpdateResult r = coll.updateOne(Filters.eq("_id", 1), List.of(
            Aggregates.set(new Field<>("sum", expr("$add", "$a", "$b"))),
            Aggregates.unset("c")));
        assertEquals(1, r.getMatchedCount());
        assertEquals(1, r.getModifiedCount());
        assertEquals(new Document("_id", 1).append("a", 1).append("b", 2).append("sum", 3), byId(1));
    }

    @Test
    void stagesSeeTheOutputOfEarlierStages() {
        coll.insertOne(new Document("_id", 1).append("a", 2));
        coll.updateOne(Filters.eq("_id", 1), List.of(
            Aggregates.addFields(new Field<>("b", expr("$multiply", "$a", 10))),
            Aggregates.set(new Field<>("c", expr("$add", "$b", 1)))));
        assertEquals(21, byId(1).getInteger("c"));
    }

    @Test
    void updatesCombineBuildsASetStage() {
        coll.insertOne(new Document("_id", 1).append("a", 1));
        coll.updateOne(Filters.eq("_id", 1), List.of(Updates.combine(Updates.set("a", 5), Updates.set("b", "x"))));
        assertEquals(new Document("_id", 1).append("a", 5).append("b", "x"), byId(1));
    }

    @Test
    void updateManyTransformsEachMatchedDocument() {
        insertNumbered(5);
        UpdateResult r = coll.updateMany(Filters.gte("n", 2), List.of(Aggregates.set(new Field<>("twice", expr("$multiply", "$n", 2)))));
        assertEquals(3, r.getMatchedCount());
        assertEquals(3, r.getModifiedCount());
        assertEquals(List.of(2, 3, 4), ids(Filters.exists("twice")));
        assertEquals(8, byId(4).getInteger("twice"));
    }

    @ShardedDifference("a single-document update needs the shard key or _id (ShardKeyNotFound 61)")

    @Test
    void updateOneTouchesOnlyOneDocument() {
        insertNumbered(3);
        UpdateResult r = coll.updateOne(Filters.gte("n", 0), List.of(Aggregates.set(new Field<>("hit", true))));
        assertEquals(1, r.getModifiedCount());
        assertEquals(1, coll.countDocuments(Filters.eq("hit", true)));
    }

    @Test
    void unchangedDocumentIsMatchedButNotModified() {
        coll.insertOne(new Document("_id", 1).append("a", 1));
        UpdateResult r = coll.updateOne(Filters.eq("_id", 1), List.of(Aggregates.set(new Field<>("a", "$a"))));
        assertEquals(1, r.getMatchedCount());
        assertEquals(0, r.getModifiedCount());
    }

    @Test
    void replaceWithKeepsTheIdTheNewRootLacks() {
        coll.insertOne(new Document("_id", 1).append("inner", new Document("x", 1).append("y", 2)).append("z", 3));
        coll.updateOne(Filters.eq("_id", 1), List.of(Aggregates.replaceWith("$inner")));
        assertEquals(new Document("_id", 1).append("x", 1).append("y", 2), byId(1));
    }

    @Test
    void replaceRootAndProjectKeepTheId() {
        coll.insertOne(new Document("_id", 1).append("a", new Document("b", 1)).append("c", 2));
        coll.updateOne(Filters.eq("_id", 1), List.of(Aggregates.replaceRoot(new Document("k", "$c"))));
        assertEquals(new Document("_id", 1).append("k", 2), byId(1));
        coll.updateOne(Filters.eq("_id", 1), List.of(Aggregates.project(Projections.fields(Projections.excludeId(),
            Projections.computed("m", expr("$add", "$k", 1))))));
        assertEquals(new Document("_id", 1).append("m", 3), byId(1));
    }

    @ShardedDifference("an upsert needs the full shard key in its query (ShardKeyNotFound 61)")

    @Test
    void upsertAppliesThePipelineToTheQueryEqualities() {
        UpdateResult r = coll.updateOne(Filters.and(Filters.eq("k", "x"), Filters.gt("n", 5)),
            List.of(Aggregates.set(new Field<>("v", expr("$concat", "$k", "!")))), new UpdateOptions().upsert(true));
        assertEquals(0, r.getMatchedCount());
        assertInstanceOf(ObjectId.class, r.getUpsertedId().asObjectId().getValue());
        Document created = coll.find().first();
        assertEquals("x", created.getString("k"));
        assertEquals("x!", created.getString("v"));
        assertNull(created.get("n"), "a range condition sets nothing");
    }

    @Test
    void upsertTakesTheIdFromTheQuery() {
        UpdateResult r = coll.updateOne(Filters.eq("_id", 7), List.of(Aggregates.set(new Field<>("v", 1))), new UpdateOptions().upsert(true));
        assertEquals(7, r.getUpsertedId().asInt32().getValue());
        assertEquals(new Document("_id", 7).append("v", 1), byId(7));
    }

    @ShardedDifference("an upsert needs the full shard key in its query (ShardKeyNotFound 61)")

    @Test
    void upsertWithMatchUpdatesInstead() {
        coll.insertOne(new Document("_id", 1).append("k", "x"));
        UpdateResult r = coll.updateOne(Filters.eq("k", "x"), List.of(Aggregates.set(new Field<>("v", 1))), new UpdateOptions().upsert(true));
        assertNull(r.getUpsertedId());
        assertEquals(1, r.getModifiedCount());
        assertEquals(1, coll.countDocuments());
    }

    @Test
    void letVariablesAreVisibleToTheStages() {
        coll.insertOne(new Document("_id", 1));
        coll.updateOne(Filters.eq("_id", 1), List.of(Aggregates.set(new Field<>("v", "$$factor"))),
            new UpdateOptions().let(new Document("factor", 42)));
        assertEquals(42, byId(1).getInteger("v"));
    }

    @Test
    void changingTheIdIsImmutableField() {
        coll.insertOne(new Document("_id", 1).append("a", 1));
        MongoWriteException e = assertThrows(MongoWriteException.class,
            () -> coll.updateOne(Filters.eq("_id", 1), List.of(Aggregates.set(new Field<>("_id", 2)))));
        assertEquals(66, e.getError().getCode());
        assertEquals(new Document("_id", 1).append("a", 1), byId(1));
    }

    @Test
    void stageNotAllowedInAnUpdateIsInvalidOptions() {
        coll.insertOne(new Document("_id", 1));
        MongoWriteException e = assertThrows(MongoWriteException.class,
            () -> coll.updateOne(Filters.eq("_id", 1), List.of(Aggregates.match(Filters.eq("_id", 1)))));
        assertEquals(72, e.getError().getCode());
        assertEquals("$match is not allowed to be used within an update", e.getError().getMessage());
    }

    @Test
    void arrayFiltersWithAPipelineFailToParse() {
        coll.insertOne(new Document("_id", 1).append("a", List.of(1)));
        MongoWriteException e = assertThrows(MongoWriteException.class,
            () -> coll.updateOne(Filters.eq("_id", 1), List.of(Aggregates.set(new Field<>("b", 1))),
                new UpdateOptions().arrayFilters(List.of(Filters.eq("x", 1)))));
        assertEquals(9, e.getError().getCode());
    }

    @Test
    void updateArgumentOfWrongTypeFailsToParse() {
        coll.insertOne(new Document("_id", 1));
        Document cmd = new Document("update", coll.getNamespace().getCollectionName())
            .append("updates", List.of(new Document("q", new Document()).append("u", 5)));
        assertEquals(9, commandError(cmd).getErrorCode());
    }

    @Test
    void mixedBatchCountsEveryStatementAndNumbersUpserts() {
        insertNumbered(3);
        List<WriteModel<Document>> writes = List.of(
            new UpdateOneModel<>(Filters.eq("_id", 0), Updates.set("classic", true)),
            new UpdateManyModel<>(Filters.gte("n", 1), List.of(Aggregates.set(new Field<>("piped", true)))),
            new UpdateOneModel<>(Filters.eq("_id", 9), List.of(Aggregates.set(new Field<>("new", true))), new UpdateOptions().upsert(true)));
        var r = coll.bulkWrite(writes);
        assertEquals(3, r.getMatchedCount());
        assertEquals(3, r.getModifiedCount());
        assertEquals(1, r.getUpserts().size());
        assertEquals(2, r.getUpserts().get(0).getIndex());
        assertEquals(List.of(1, 2), ids(Filters.eq("piped", true)));
        assertEquals(List.of(9), ids(Filters.eq("new", true)));
    }

    @Test
    void orderedBatchStopsAtTheFailingPipeline() {
        insertNumbered(2);
        List<WriteModel<Document>> writes = List.of(
            new UpdateOneModel<>(Filters.eq("_id", 0), List.<Bson>of(Aggregates.set(new Field<>("a", 1)))),
            new UpdateOneModel<>(Filters.eq("_id", 1), List.<Bson>of(Aggregates.set(new Field<>("_id", 5)))),
            new UpdateOneModel<>(Filters.eq("_id", 1), List.<Bson>of(Aggregates.set(new Field<>("a", 1)))));
        MongoBulkWriteException e = assertThrows(MongoBulkWriteException.class, () -> coll.bulkWrite(writes));
        assertEquals(1, e.getWriteErrors().size());
        assertEquals(1, e.getWriteErrors().get(0).getIndex());
        assertEquals(66, e.getWriteErrors().get(0).getCode());
        assertEquals(List.of(0), ids(Filters.eq("a", 1)));
    }

    @Test
    void unorderedBatchGoesOnAfterAFailure() {
        insertNumbered(2);
        List<WriteModel<Document>> writes = List.of(
            new UpdateOneModel<>(Filters.eq("_id", 0), List.<Bson>of(Aggregates.set(new Field<>("_id", 5)))),
            new UpdateOneModel<>(Filters.eq("_id", 1), List.<Bson>of(Aggregates.set(new Field<>("a", 1)))));
        MongoBulkWriteException e = assertThrows(MongoBulkWriteException.class,
            () -> coll.bulkWrite(writes, new BulkWriteOptions().ordered(false)));
        assertEquals(0, e.getWriteErrors().get(0).getIndex());
        assertEquals(List.of(1), ids(Filters.eq("a", 1)));
    }

    @ShardedDifference("a unique index must start with the shard key (CannotCreateIndex 67)")

    @Test
    void uniqueIndexStillRefusesDuplicatesMadeByAPipeline() {
        coll.createIndex(new Document("u", 1), new com.mongodb.client.model.IndexOptions().unique(true));
        coll.insertMany(List.of(new Document("_id", 1).append("u", 1), new Document("_id", 2).append("u", 2)));
        MongoWriteException e = assertThrows(MongoWriteException.class,
            () -> coll.updateOne(Filters.eq("_id", 2), List.of(Aggregates.set(new Field<>("u", 1)))));
        assertEquals(11000, e.getError().getCode());
        assertEquals(2, byId(2).getInteger("u"));
    }

    @Test
    void findOneAndUpdateReturnsTheDocumentBeforeByDefault() {
        coll.insertOne(new Document("_id", 1).append("v", 1));
        Document before = coll.findOneAndUpdate(Filters.eq("_id", 1), List.of(Aggregates.set(new Field<>("v", expr("$add", "$v", 1)))));
        assertEquals(1, before.getInteger("v"));
        assertEquals(2, byId(1).getInteger("v"));
    }

    @ShardedDifference("findAndModify needs the shard key in its query (ShardKeyNotFound 61)")

    @Test
    void findOneAndUpdateReturnsTheDocumentAfterWithProjectionAndSort() {
        insertNumbered(3);
        Document after = coll.findOneAndUpdate(Filters.gte("n", 0), List.of(Aggregates.set(new Field<>("m", expr("$multiply", "$n", 3)))),
            new FindOneAndUpdateOptions().sort(Sorts.descending("n")).projection(Projections.excludeId())
                .returnDocument(ReturnDocument.AFTER));
        assertEquals(new Document("n", 2).append("m", 6), after);
        assertEquals(List.of(2), ids(Filters.exists("m")));
    }

    @ShardedDifference("findAndModify needs the shard key in its query (ShardKeyNotFound 61)")

    @Test
    void findOneAndUpdateUpsertsThroughThePipeline() {
        Document after = coll.findOneAndUpdate(Filters.eq("k", "x"), List.of(Aggregates.set(new Field<>("v", expr("$concat", "$k", "y")))),
            new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        assertEquals("xy", after.getString("v"));
        assertInstanceOf(ObjectId.class, after.get("_id"));
        assertNull(coll.findOneAndUpdate(Filters.eq("k", "z"), List.of(Aggregates.set(new Field<>("v", 1))),
            new FindOneAndUpdateOptions().upsert(true)), "before an upsert there was nothing");
        assertEquals(2, coll.countDocuments());
    }

    @Test
    void findAndModifyRawReportsLastErrorObject() {
        coll.insertOne(new Document("_id", 1).append("v", 1));
        Document reply = run(new Document("findAndModify", coll.getNamespace().getCollectionName())
            .append("query", new Document("_id", 1))
            .append("update", List.of(new Document("$set", new Document("v", 2)))));
        Document leo = reply.get("lastErrorObject", Document.class);
        assertEquals(1, leo.getInteger("n"));
        assertEquals(true, leo.getBoolean("updatedExisting"));
        Document missing = run(new Document("findAndModify", coll.getNamespace().getCollectionName())
            .append("query", new Document("_id", 2))
            .append("update", List.of(new Document("$set", new Document("v", 2)))));
        assertEquals(0, missing.get("lastErrorObject", Document.class).getInteger("n"));
        assertNull(missing.get("value"));
    }

    @Test
    void findOneAndUpdateRefusesAStageNotAllowed() {
        coll.insertOne(new Document("_id", 1));
        var e = assertThrows(com.mongodb.MongoCommandException.class,
            () -> coll.findOneAndUpdate(Filters.eq("_id", 1), List.of(Aggregates.sort(Sorts.ascending("a")))));
        assertEquals(72, e.getErrorCode());
        assertEquals(new ArrayList<>(List.of(new Document("_id", 1))), coll.find().into(new ArrayList<>()));
    }
}
