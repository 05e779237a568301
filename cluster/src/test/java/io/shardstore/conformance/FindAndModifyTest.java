package io.shardstore.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndDeleteOptions;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

/** findAndModify through findOneAndUpdate / Replace / Delete and as a raw command. */
class FindAndModifyTest extends ConformanceTestBase {

    private String name() {
        return coll.getNamespace().getCollectionName();
    }

    @Test
    void updateReturnsDocumentBeforeByDefault() {
        coll.insertOne(new Document("_id", 1).append("v", 1));
        Document before = coll.findOneAndUpdate(Filters.eq("_id", 1), Updates.inc("v", 1));
        assertEquals(1, before.getInteger("v"));
        assertEquals(2, coll.find().first().getInteger("v"));
    }

    @Test
    void updateReturnsDocumentAfterWhenAsked() {
        coll.insertOne(new Document("_id", 1).append("v", 1));
        Document after = coll.findOneAndUpdate(Filters.eq("_id", 1), Updates.inc("v", 1),
            new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        assertEquals(2, after.getInteger("v"));
    }

    @Test
    void updateWithoutMatchReturnsNullAndChangesNothing() {
        coll.insertOne(new Document("_id", 1).append("v", 1));
        assertNull(coll.findOneAndUpdate(Filters.eq("_id", 2), Updates.inc("v", 1)));
        assertEquals(1, coll.countDocuments());
        assertEquals(1, coll.find().first().getInteger("v"));
    }

    @ShardedDifference("an upsert needs the shard key in its query (ShardKeyNotFound 61)")

    @Test
    void upsertReturningAfterGivesNewDocument() {
        Document after = coll.findOneAndUpdate(Filters.eq("k", "x"), Updates.set("v", 1),
            new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        assertEquals("x", after.getString("k"));
        assertEquals(1, after.getInteger("v"));
        assertInstanceOf(ObjectId.class, after.get("_id"));
        assertEquals(after, coll.find().first());
    }

    @Test
    void upsertReturningBeforeGivesNullButInserts() {
        Document before = coll.findOneAndUpdate(Filters.eq("_id", 7), Updates.set("v", 1), new FindOneAndUpdateOptions().upsert(true));
        assertNull(before);
        assertEquals(new Document("_id", 7).append("v", 1), coll.find().first());
    }

    @Test
    void sortChoosesWhichDocumentIsModified() {
        insertNumbered(5);
        Document before = coll.findOneAndUpdate(new Document(), Updates.set("picked", true),
            new FindOneAndUpdateOptions().sort(Sorts.descending("n")));
        assertEquals(4, before.getInteger("_id"));
        assertEquals(List.of(4), ids(Filters.eq("picked", true)));
    }

    @Test
    void projectionShapesReturnedDocument() {
        coll.insertOne(new Document("_id", 1).append("a", 1).append("b", 2));
        Document d = coll.findOneAndUpdate(Filters.eq("_id", 1), Updates.set("c", 3),
            new FindOneAndUpdateOptions().projection(Projections.include("c")).returnDocument(ReturnDocument.AFTER));
        assertEquals(new Document("_id", 1).append("c", 3), d);
    }

    @Test
    void projectionCanHideId() {
        coll.insertOne(new Document("_id", 1).append("a", 1).append("b", 2));
        Document d = coll.findOneAndUpdate(Filters.eq("_id", 1), Updates.set("a", 5),
            new FindOneAndUpdateOptions().projection(Projections.fields(Projections.excludeId(), Projections.include("a")))
                .returnDocument(ReturnDocument.AFTER));
        assertEquals(new Document("a", 5), d);
    }

    @Test
    void deleteReturnsAndRemoves() {
        insertNumbered(3);
        Document removed = coll.findOneAndDelete(Filters.eq("_id", 1));
        assertEquals(new Document("_id", 1).append("n", 1), removed);
        assertEquals(List.of(0, 2), ids(new Document()));
    }

    @Test
    void deleteWithSortRemovesFirstInOrder() {
        insertNumbered(3);
        Document removed = coll.findOneAndDelete(new Document(), new FindOneAndDeleteOptions().sort(Sorts.descending("_id")));
        assertEquals(2, removed.getInteger("_id"));
        assertEquals(List.of(0, 1), ids(new Document()));
    }

    @Test
    void deleteWithoutMatchReturnsNull() {
        insertNumbered(1);
        assertNull(coll.findOneAndDelete(Filters.eq("_id", 5)));
        assertEquals(1, coll.countDocuments());
    }

    @Test
    void replaceReturnsOldAndStoresNew() {
        coll.insertOne(new Document("_id", 1).append("a", 1));
        Document before = coll.findOneAndReplace(Filters.eq("_id", 1), new Document("b", 2));
        assertEquals(new Document("_id", 1).append("a", 1), before);
        assertEquals(new Document("_id", 1).append("b", 2), coll.find().first());
    }

    @Test
    void replaceWithUpsertReturningAfter() {
        Document after = coll.findOneAndReplace(Filters.eq("_id", 3), new Document("b", 2),
            new FindOneAndReplaceOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        assertEquals(new Document("_id", 3).append("b", 2), after);
    }

    @Test
    void rawCommandReportsLastErrorObjectForUpdate() {
        coll.insertOne(new Document("_id", 1).append("v", 1));
        Document reply = run(new Document("findAndModify", name()).append("query", new Document("_id", 1))
            .append("update", new Document("$set", new Document("v", 2))));
        Document leo = reply.get("lastErrorObject", Document.class);
        assertEquals(1, leo.getInteger("n"));
        assertEquals(true, leo.getBoolean("updatedExisting"));
        assertEquals(new Document("_id", 1).append("v", 1), reply.get("value", Document.class));
    }

    @Test
    void rawCommandReportsUpsertedId() {
        Document reply = run(new Document("findAndModify", name()).append("query", new Document("_id", 9))
            .append("update", new Document("$set", new Document("v", 2))).append("upsert", true).append("new", true));
        Document leo = reply.get("lastErrorObject", Document.class);
        assertEquals(1, leo.getInteger("n"));
        assertEquals(false, leo.getBoolean("updatedExisting"));
        assertEquals(9, leo.getInteger("upserted"));
        assertEquals(new Document("_id", 9).append("v", 2), reply.get("value", Document.class));
    }

    @Test
    void rawCommandWithoutMatchHasNullValue() {
        Document reply = run(new Document("findAndModify", name()).append("query", new Document("_id", 1)).append("remove", true));
        assertNull(reply.get("value"));
        assertEquals(0, reply.get("lastErrorObject", Document.class).getInteger("n"));
    }

    /**
     * Issue 10, item 7: an upsert takes _id and the other equalities from every clause of a top-level $and and from a
     * single-clause $or, as mongod builds the document to insert; the reply names the _id that was stored.
     */
    @Test
    void upsertTakesIdFromAnd() {
        Document reply = run(new Document("findAndModify", name())
            .append("query", new Document("$and", List.of(new Document("_id", 5), new Document("x", 1))))
            .append("update", new Document("$set", new Document("y", 2))).append("upsert", true).append("new", true));
        assertEquals(new Document("_id", 5).append("x", 1).append("y", 2), reply.get("value", Document.class));
        assertEquals(5, reply.get("lastErrorObject", Document.class).get("upserted"));
        assertEquals(List.of(new Document("_id", 5).append("x", 1).append("y", 2)), coll.find().into(new java.util.ArrayList<>()));
    }

    @Test
    void upsertTakesIdFromASingleClauseOr() {
        Document reply = run(new Document("findAndModify", name())
            .append("query", new Document("$or", List.of(new Document("_id", 6).append("x", 1))))
            .append("update", new Document("$inc", new Document("n", 1))).append("upsert", true));
        assertEquals(6, reply.get("lastErrorObject", Document.class).get("upserted"));
        assertEquals(List.of(new Document("_id", 6).append("x", 1).append("n", 1)), coll.find().into(new java.util.ArrayList<>()));
    }

    @Test
    void replacementUpsertTakesIdFromAnd() {
        Document reply = run(new Document("findAndModify", name())
            .append("query", new Document("$and", List.of(new Document("x", 1), new Document("_id", new Document("$eq", 7)))))
            .append("update", new Document("y", 1)).append("upsert", true).append("new", true));
        // A replacement keeps only the query's _id, not its other fields.
        assertEquals(new Document("_id", 7).append("y", 1), reply.get("value", Document.class));
        assertEquals(List.of(new Document("_id", 7).append("y", 1)), coll.find().into(new java.util.ArrayList<>()));
    }

    @Test
    void updateCommandUpsertTakesIdFromAnd() {
        Document reply = run(new Document("update", name()).append("updates", List.of(
            new Document("q", new Document("$and", List.of(new Document("_id", 8), new Document("x", 1))))
                .append("u", new Document("$set", new Document("y", 2))).append("upsert", true),
            new Document("q", new Document("$and", List.of(new Document("_id", 9))))
                .append("u", new Document("y", 3)).append("upsert", true))));
        assertEquals(List.of(8, 9), reply.getList("upserted", Document.class).stream().map(u -> u.get("_id")).toList(), reply.toJson());
        assertEquals(List.of(new Document("_id", 8).append("x", 1).append("y", 2), new Document("_id", 9).append("y", 3)),
            coll.find().sort(new Document("_id", 1)).into(new java.util.ArrayList<>()));
    }

    @Test
    void removeAndNewTogetherAreRejected() {
        coll.insertOne(new Document("_id", 1));
        MongoCommandException e = commandError(new Document("findAndModify", name()).append("query", new Document("_id", 1))
            .append("remove", true).append("new", true));
        assertEquals(9, e.getErrorCode());
        assertEquals(1, coll.countDocuments());
    }

    @Test
    void neitherUpdateNorRemoveIsRejected() {
        coll.insertOne(new Document("_id", 1));
        MongoCommandException e = commandError(new Document("findAndModify", name()).append("query", new Document("_id", 1)));
        assertEquals(9, e.getErrorCode());
    }

    @ShardedDifference("an upsert needs the shard key in its query (ShardKeyNotFound 61)")

    @Test
    void duplicateKeyFromFindAndModifyIsReported() {
        coll.insertMany(List.of(new Document("_id", 1), new Document("_id", 2)));
        MongoCommandException e = assertThrows(MongoCommandException.class,
            () -> coll.findOneAndReplace(Filters.eq("k", "none"), new Document("_id", 1), new FindOneAndReplaceOptions().upsert(true)));
        assertEquals(11000, e.getErrorCode());
    }

    @Test
    void projectionHidingOnlyIdLeavesTheStoredDocumentWhole() {
        coll.createIndex(new Document("v", 1));
        coll.insertOne(new Document("_id", 1).append("v", 1));
        Document after = coll.findOneAndUpdate(Filters.eq("_id", 1), Updates.inc("v", 1),
            new FindOneAndUpdateOptions().projection(Projections.excludeId()).returnDocument(ReturnDocument.AFTER));
        assertEquals(new Document("v", 2), after);
        assertEquals(new Document("_id", 1).append("v", 2), coll.find(Filters.eq("v", 2)).first());
        coll.deleteOne(Filters.eq("v", 2));
        assertEquals(0, coll.countDocuments());
    }
}
