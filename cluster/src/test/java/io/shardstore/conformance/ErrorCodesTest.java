package io.shardstore.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoNamespace;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/** The error codes and code names a MongoDB 7.0 server answers with, which drivers and applications branch on. */
class ErrorCodesTest extends ConformanceTestBase {

    private String name() {
        return coll.getNamespace().getCollectionName();
    }

    @Test
    void unknownCommandIsCommandNotFound() {
        MongoCommandException e = commandError(new Document("noSuchCommandAtAll", 1));
        assertEquals(59, e.getErrorCode());
        assertEquals("CommandNotFound", e.getErrorCodeName());
    }

    @Test
    void commandNamesAreCaseSensitive() {
        assertEquals(59, commandError(new Document("PING", 1)).getErrorCode());
    }

    @Test
    void duplicateIdIsDuplicateKey() {
        coll.insertOne(new Document("_id", 1));
        MongoWriteException e = assertThrows(MongoWriteException.class, () -> coll.insertOne(new Document("_id", 1)));
        assertEquals(11000, e.getError().getCode());
        assertEquals(11000, e.getCode());
    }

    @Test
    void duplicateKeyInRawInsertIsAWriteError() {
        coll.insertOne(new Document("_id", 1));
        Document reply = run(new Document("insert", name()).append("documents", List.of(new Document("_id", 1))));
        Document error = reply.getList("writeErrors", Document.class).get(0);
        assertEquals(11000, error.getInteger("code"));
        assertEquals(0, reply.getInteger("n"));
    }

    @Test
    void unknownUpdateOperatorIsFailedToParse() {
        coll.insertOne(new Document("_id", 1));
        MongoWriteException e = assertThrows(MongoWriteException.class,
            () -> coll.updateOne(Filters.eq("_id", 1), new Document("$frobnicate", new Document("a", 1))));
        assertEquals(9, e.getError().getCode());
    }

    @Test
    void emptyUpdateOperatorArgumentIsAccepted() {
        // An operator with an empty argument is a no-op update since MongoDB 5.0.
        coll.insertOne(new Document("_id", 1).append("a", 1));
        assertEquals(1, coll.updateOne(Filters.eq("_id", 1), new Document("$set", new Document())).getMatchedCount());
        assertEquals(new Document("_id", 1).append("a", 1), coll.find().first());
    }

    @Test
    void getMoreOnUnknownCursorIsCursorNotFound() {
        coll.insertOne(new Document("_id", 1));
        MongoCommandException e = commandError(new Document("getMore", 987654321L).append("collection", name()));
        assertEquals(43, e.getErrorCode());
        assertEquals("CursorNotFound", e.getErrorCodeName());
    }

    @Test
    void getMoreWithNonPositiveBatchSizeIsBadValue() {
        insertNumbered(3);
        Document cursor = run(new Document("find", name()).append("batchSize", 1)).get("cursor", Document.class);
        MongoCommandException e = commandError(new Document("getMore", cursor.getLong("id")).append("collection", name())
            .append("batchSize", 0));
        assertEquals(2, e.getErrorCode());
    }

    @Test
    void collectionNameWithDollarIsInvalidNamespace() {
        assertEquals(73, commandError(new Document("create", "bad$name")).getErrorCode());
    }

    @Test
    void distinctKeyMustBeAString() {
        coll.insertOne(new Document("a", 1));
        assertEquals(14, commandError(new Document("distinct", name()).append("key", 1)).getErrorCode());
    }

    @Test
    void arrayIdIsInvalidIdField() {
        MongoWriteException e = assertThrows(MongoWriteException.class, () -> coll.insertOne(new Document("_id", List.of(1, 2))));
        assertEquals(53, e.getError().getCode());
        assertEquals(0, coll.countDocuments());
    }

    @Test
    void nonStringCollectionNameIsInvalidNamespace() {
        MongoCommandException e = commandError(new Document("insert", 42).append("documents", List.of(new Document("a", 1))));
        assertEquals(73, e.getErrorCode());
        assertEquals("InvalidNamespace", e.getErrorCodeName());
    }

    @Test
    void nonStringCollectionNameOnDeleteIsInvalidNamespace() {
        MongoCommandException e = commandError(new Document("delete", true)
            .append("deletes", List.of(new Document("q", new Document()).append("limit", 0))));
        assertEquals(73, e.getErrorCode());
    }

    @Test
    void emptyInsertBatchIsInvalidLength() {
        MongoCommandException e = commandError(new Document("insert", name()).append("documents", List.of()));
        assertEquals(16, e.getErrorCode());
        assertEquals("InvalidLength", e.getErrorCodeName());
    }

    @Test
    void oversizedInsertBatchIsInvalidLength() {
        List<Document> docs = new ArrayList<>(Collections.nCopies(100_001, new Document()));
        MongoCommandException e = commandError(new Document("insert", name()).append("documents", docs));
        assertEquals(16, e.getErrorCode());
        assertEquals(0, coll.countDocuments());
    }

    @Test
    void emptyUpdateBatchIsInvalidLength() {
        assertEquals(16, commandError(new Document("update", name()).append("updates", List.of())).getErrorCode());
    }

    @Test
    void emptyDeleteBatchIsInvalidLength() {
        assertEquals(16, commandError(new Document("delete", name()).append("deletes", List.of())).getErrorCode());
    }

    @Test
    void deleteLimitOtherThanZeroOrOneIsFailedToParse() {
        insertNumbered(3);
        MongoCommandException e = commandError(new Document("delete", name())
            .append("deletes", List.of(new Document("q", new Document()).append("limit", 2))));
        assertEquals(9, e.getErrorCode());
        assertEquals("FailedToParse", e.getErrorCodeName());
        assertEquals(3, coll.countDocuments());
    }

    @Test
    void missingDocumentsFieldIsAnError() {
        MongoCommandException e = commandError(new Document("insert", name()));
        assertEquals(40414, e.getErrorCode());
    }

    @Test
    void documentsOfWrongTypeIsTypeMismatch() {
        assertEquals(14, commandError(new Document("insert", name()).append("documents", "nope")).getErrorCode());
    }

    @Test
    void incOnNonNumberIsTypeMismatch() {
        coll.insertOne(new Document("_id", 1).append("s", "text"));
        MongoWriteException e = assertThrows(MongoWriteException.class, () -> coll.updateOne(Filters.eq("_id", 1), Updates.inc("s", 1)));
        assertEquals(14, e.getError().getCode());
    }

    @Test
    void changingIdIsImmutableField() {
        coll.insertOne(new Document("_id", 1));
        MongoWriteException e = assertThrows(MongoWriteException.class, () -> coll.updateOne(Filters.eq("_id", 1), Updates.set("_id", 5)));
        assertEquals(66, e.getError().getCode());
    }

    @Test
    void createExistingCollectionIsNamespaceExists() {
        db.createCollection("exists");
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> db.createCollection("exists"));
        assertEquals(48, e.getErrorCode());
        assertEquals("NamespaceExists", e.getErrorCodeName());
    }

    @ShardedDifference("a sharded collection cannot be renamed (as with mongos)")

    @Test
    void renameOntoExistingCollectionIsNamespaceExists() {
        coll.insertOne(new Document("_id", 1));
        db.getCollection("taken").insertOne(new Document("_id", 2));
        MongoCommandException e = assertThrows(MongoCommandException.class,
            () -> coll.renameCollection(new MongoNamespace(db.getName(), "taken")));
        assertEquals(48, e.getErrorCode());
        assertEquals(1, db.getCollection("taken").countDocuments(Filters.eq("_id", 2)));
    }

    @Test
    void renameOfMissingCollectionIsNamespaceNotFound() {
        MongoCommandException e = assertThrows(MongoCommandException.class,
            () -> db.getCollection("absent").renameCollection(new MongoNamespace(db.getName(), "whatever")));
        assertEquals(26, e.getErrorCode());
    }

    @Test
    void renameOntoItselfIsIllegalOperation() {
        coll.insertOne(new Document("_id", 1));
        MongoCommandException e = assertThrows(MongoCommandException.class,
            () -> coll.renameCollection(coll.getNamespace()));
        assertEquals(20, e.getErrorCode());
        assertEquals(1, coll.countDocuments());
    }

    @Test
    void findAndModifyWithRemoveAndUpdateIsFailedToParse() {
        assertEquals(9, commandError(new Document("findAndModify", name()).append("remove", true)
            .append("update", new Document("$set", new Document("a", 1)))).getErrorCode());
    }

    @Test
    void dropMissingIndexIsIndexNotFound() {
        coll.insertOne(new Document("_id", 1));
        MongoCommandException e = commandError(new Document("dropIndexes", name()).append("index", "zzz_1"));
        assertEquals(27, e.getErrorCode());
        assertEquals("IndexNotFound", e.getErrorCodeName());
    }

    @Test
    void listIndexesOfMissingCollectionIsNamespaceNotFound() {
        assertEquals(26, commandError(new Document("listIndexes", "absent")).getErrorCode());
    }

    @Test
    void findAndModifyWithRemoveAndNewIsFailedToParse() {
        assertEquals(9, commandError(new Document("findAndModify", name()).append("remove", true).append("new", true)).getErrorCode());
    }

    @Test
    void errorRepliesCarryMessageAndCodeName() {
        MongoCommandException e = commandError(new Document("noSuchCommand", 1));
        Document reply = Document.parse(e.getResponse().toJson());
        assertEquals(0.0, ((Number) reply.get("ok")).doubleValue());
        assertEquals("CommandNotFound", reply.getString("codeName"));
        assertEquals(59, reply.getInteger("code"));
        assertEquals(true, reply.getString("errmsg") != null && !reply.getString("errmsg").isEmpty());
    }

    @Test
    void writeErrorIndexPointsAtFailingStatement() {
        coll.insertOne(new Document("_id", 5).append("s", "x"));
        Document reply = run(new Document("update", name()).append("updates", List.of(
            new Document("q", new Document("_id", 5)).append("u", new Document("$set", new Document("t", 1))),
            new Document("q", new Document("_id", 5)).append("u", new Document("$inc", new Document("s", 1))))));
        assertEquals(1, reply.getInteger("n"));
        Document error = reply.getList("writeErrors", Document.class).get(0);
        assertEquals(1, error.getInteger("index"));
        assertEquals(14, error.getInteger("code"));
    }

    @Test
    void orderedBatchStopsAfterFirstError() {
        Document reply = run(new Document("insert", name()).append("documents", List.of(
            new Document("_id", 1), new Document("_id", 1), new Document("_id", 2))));
        assertEquals(1, reply.getInteger("n"));
        assertEquals(1, reply.getList("writeErrors", Document.class).size());
        assertEquals(List.of(1), ids(new Document()));
    }

    @Test
    void unrecognizedPipelineStage() {
        assertEquals(40324, commandError(new Document("aggregate", name())
            .append("pipeline", List.of(new Document("$bogus", 1))).append("cursor", new Document())).getErrorCode());
    }
}
