package io.shardstore.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

/** Cursors: batches, getMore, killCursors, and limit / skip / sort. */
class CursorTest extends ConformanceTestBase {

    private String name() {
        return coll.getNamespace().getCollectionName();
    }

    private static Document cursorOf(Document reply) {
        return reply.get("cursor", Document.class);
    }

    private static List<Object> idsOf(List<Document> batch) {
        List<Object> out = new ArrayList<>();
        batch.forEach(d -> out.add(d.get("_id")));
        return out;
    }

    private Document find(Document extra) {
        Document cmd = new Document("find", name()).append("sort", new Document("_id", 1));
        cmd.putAll(extra);
        return run(cmd);
    }

    private Document getMore(long id, int batchSize) {
        return run(new Document("getMore", id).append("collection", name()).append("batchSize", batchSize));
    }

    private long openCursors() {
        Document status = admin().runCommand(new Document("serverStatus", 1));
        Document open = status.get("metrics", Document.class).get("cursor", Document.class).get("open", Document.class);
        return ((Number) open.get("total")).longValue();
    }

    @Test
    void driverIteratesAcrossManyBatches() {
        insertNumbered(25);
        List<Object> seen = new ArrayList<>();
        coll.find().sort(Sorts.ascending("_id")).batchSize(3).forEach(d -> seen.add(d.get("_id")));
        assertEquals(25, seen.size());
        assertEquals(0, seen.get(0));
        assertEquals(24, seen.get(24));
    }

    @Test
    void firstBatchHonoursBatchSize() {
        insertNumbered(5);
        Document cursor = cursorOf(find(new Document("batchSize", 2)));
        assertEquals(List.of(0, 1), idsOf(cursor.getList("firstBatch", Document.class)));
        assertNotEquals(0L, cursor.getLong("id"));
        assertEquals(coll.getNamespace().getFullName(), cursor.getString("ns"));
    }

    @Test
    void getMoreReturnsNextBatchesUntilExhausted() {
        insertNumbered(5);
        long id = cursorOf(find(new Document("batchSize", 2))).getLong("id");
        Document second = cursorOf(getMore(id, 2));
        assertEquals(List.of(2, 3), idsOf(second.getList("nextBatch", Document.class)));
        assertEquals(id, second.getLong("id"));
        assertEquals(coll.getNamespace().getFullName(), second.getString("ns"));
        Document third = cursorOf(getMore(id, 2));
        assertEquals(List.of(4), idsOf(third.getList("nextBatch", Document.class)));
        assertEquals(0L, third.getLong("id"));
    }

    @Test
    void getMoreWithoutBatchSizeReturnsTheRest() {
        insertNumbered(6);
        long id = cursorOf(find(new Document("batchSize", 2))).getLong("id");
        Document rest = cursorOf(run(new Document("getMore", id).append("collection", name())));
        assertEquals(List.of(2, 3, 4, 5), idsOf(rest.getList("nextBatch", Document.class)));
        assertEquals(0L, rest.getLong("id"));
    }

    @Test
    void exhaustedCursorIsGone() {
        insertNumbered(3);
        long id = cursorOf(find(new Document("batchSize", 1))).getLong("id");
        Document last = cursorOf(getMore(id, 10));
        assertEquals(0L, last.getLong("id"));
        assertEquals(43, commandError(new Document("getMore", id).append("collection", name())).getErrorCode());
    }

    @Test
    void killCursorsReportsKilledAndCursorIsGone() {
        insertNumbered(5);
        long id = cursorOf(find(new Document("batchSize", 1))).getLong("id");
        Document reply = run(new Document("killCursors", name()).append("cursors", List.of(id)));
        assertEquals(List.of(id), reply.getList("cursorsKilled", Long.class));
        assertTrue(reply.getList("cursorsNotFound", Long.class).isEmpty());
        assertEquals(43, commandError(new Document("getMore", id).append("collection", name())).getErrorCode());
    }

    @Test
    void killCursorsReportsUnknownIdsAsNotFound() {
        coll.insertOne(new Document("_id", 1));
        Document reply = run(new Document("killCursors", name()).append("cursors", List.of(123456789L)));
        assertEquals(List.of(123456789L), reply.getList("cursorsNotFound", Long.class));
        assertTrue(reply.getList("cursorsKilled", Long.class).isEmpty());
    }

    @Test
    void openCursorsAreCountedInServerStatus() {
        insertNumbered(5);
        long before = openCursors();
        long id = cursorOf(find(new Document("batchSize", 1))).getLong("id");
        assertEquals(before + 1, openCursors());
        run(new Document("killCursors", name()).append("cursors", List.of(id)));
        assertEquals(before, openCursors());
    }

    @Test
    void closingADriverCursorEarlyFreesIt() {
        insertNumbered(10);
        long before = openCursors();
        try (MongoCursor<Document> cursor = coll.find().batchSize(2).iterator()) {
            cursor.next();
            assertEquals(before + 1, openCursors());
        }
        assertEquals(before, openCursors());
    }

    @Test
    void limitCapsResults() {
        insertNumbered(10);
        assertEquals(3, coll.find().limit(3).into(new ArrayList<>()).size());
    }

    @Test
    void limitWithinFirstBatchClosesCursor() {
        insertNumbered(10);
        Document cursor = cursorOf(find(new Document("limit", 3).append("batchSize", 5)));
        assertEquals(List.of(0, 1, 2), idsOf(cursor.getList("firstBatch", Document.class)));
        assertEquals(0L, cursor.getLong("id"));
    }

    @Test
    void limitLargerThanBatchSpansGetMores() {
        insertNumbered(20);
        List<Document> docs = coll.find().sort(Sorts.ascending("_id")).limit(7).batchSize(3).into(new ArrayList<>());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), idsOf(docs));
    }

    @Test
    void negativeLimitReturnsSingleBatch() {
        insertNumbered(10);
        List<Document> docs = coll.find().sort(Sorts.ascending("_id")).limit(-4).into(new ArrayList<>());
        assertEquals(List.of(0, 1, 2, 3), idsOf(docs));
    }

    @Test
    void singleBatchClosesCursor() {
        insertNumbered(10);
        Document cursor = cursorOf(find(new Document("batchSize", 2).append("singleBatch", true)));
        assertEquals(2, cursor.getList("firstBatch", Document.class).size());
        assertEquals(0L, cursor.getLong("id"));
    }

    @Test
    void skipSkipsLeadingDocuments() {
        insertNumbered(10);
        assertEquals(List.of(7, 8, 9), idsOf(coll.find().sort(Sorts.ascending("_id")).skip(7).into(new ArrayList<>())));
    }

    @Test
    void skipPastEndIsEmpty() {
        insertNumbered(3);
        assertTrue(coll.find().skip(5).into(new ArrayList<>()).isEmpty());
    }

    @Test
    void sortDescending() {
        insertNumbered(5);
        assertEquals(List.of(4, 3, 2, 1, 0), idsOf(coll.find().sort(Sorts.descending("n")).into(new ArrayList<>())));
    }

    @Test
    void compoundSort() {
        coll.insertMany(List.of(
            new Document("_id", 1).append("a", 1).append("b", 1),
            new Document("_id", 2).append("a", 2).append("b", 1),
            new Document("_id", 3).append("a", 1).append("b", 2),
            new Document("_id", 4).append("a", 2).append("b", 2)));
        List<Document> docs = coll.find().sort(Sorts.orderBy(Sorts.ascending("a"), Sorts.descending("b"))).into(new ArrayList<>());
        assertEquals(List.of(3, 1, 4, 2), idsOf(docs));
    }

    @Test
    void sortSkipAndLimitTogether() {
        insertNumbered(10);
        List<Document> docs = coll.find(Filters.gte("n", 2)).sort(Sorts.descending("n")).skip(1).limit(3).into(new ArrayList<>());
        assertEquals(List.of(8, 7, 6), idsOf(docs));
    }

    @Test
    void sortPutsMissingFieldFirstAndOrdersByType() {
        coll.insertMany(List.of(
            new Document("_id", 1).append("v", "b"),
            new Document("_id", 2).append("v", 10),
            new Document("_id", 3),
            new Document("_id", 4).append("v", 2.5),
            new Document("_id", 5).append("v", "a")));
        List<Document> docs = coll.find().sort(Sorts.ascending("v")).into(new ArrayList<>());
        assertEquals(List.of(3, 4, 2, 5, 1), idsOf(docs));
    }

    @Test
    void findOnMissingCollectionReturnsClosedEmptyCursor() {
        Document cursor = cursorOf(run(new Document("find", "no_such_collection")));
        assertTrue(cursor.getList("firstBatch", Document.class).isEmpty());
        assertEquals(0L, cursor.getLong("id"));
    }

    @Test
    void aggregateResultsIterateAcrossBatches() {
        insertNumbered(7);
        List<Document> docs = coll.aggregate(List.of(new Document("$sort", new Document("_id", -1)))).batchSize(2)
            .into(new ArrayList<>());
        assertEquals(List.of(6, 5, 4, 3, 2, 1, 0), idsOf(docs));
    }

    private Document aggregate(List<Document> pipeline, Document cursor) {
        return run(new Document("aggregate", name()).append("pipeline", pipeline).append("cursor", cursor));
    }

    @Test
    void findWithBatchSizeZeroReturnsEmptyFirstBatchAndOpenCursor() {
        insertNumbered(5);
        Document cursor = cursorOf(find(new Document("batchSize", 0)));
        assertTrue(cursor.getList("firstBatch", Document.class).isEmpty());
        long id = cursor.getLong("id");
        assertNotEquals(0L, id);
        assertEquals(List.of(0, 1), idsOf(cursorOf(getMore(id, 2)).getList("nextBatch", Document.class)));
        Document rest = cursorOf(run(new Document("getMore", id).append("collection", name())));
        assertEquals(List.of(2, 3, 4), idsOf(rest.getList("nextBatch", Document.class)));
        assertEquals(0L, rest.getLong("id"));
    }

    @Test
    void findWithBatchSizeZeroKeepsFilterSortAndLimit() {
        insertNumbered(10);
        long id = cursorOf(find(new Document("batchSize", 0).append("filter", new Document("n", new Document("$gte", 3)))
            .append("sort", new Document("n", -1)).append("limit", 4))).getLong("id");
        Document rest = cursorOf(getMore(id, 10));
        assertEquals(List.of(9, 8, 7, 6), idsOf(rest.getList("nextBatch", Document.class)));
        assertEquals(0L, rest.getLong("id"));
    }

    @Test
    void findWithBatchSizeZeroOnAMissingCollectionIsClosed() {
        Document cursor = cursorOf(run(new Document("find", "no_such_collection").append("batchSize", 0)));
        assertTrue(cursor.getList("firstBatch", Document.class).isEmpty());
        assertEquals(0L, cursor.getLong("id"));
    }

    @Test
    void negativeBatchSizeIsRefused() {
        insertNumbered(1);
        assertEquals(51024, commandError(new Document("find", name()).append("batchSize", -1)).getErrorCode());
        assertEquals(51024, commandError(new Document("aggregate", name()).append("pipeline", List.of())
            .append("cursor", new Document("batchSize", -1))).getErrorCode());
    }

    @Test
    void aggregateFirstBatchHonoursCursorBatchSize() {
        insertNumbered(7);
        Document first = cursorOf(aggregate(List.of(new Document("$sort", new Document("_id", -1))), new Document("batchSize", 3)));
        assertEquals(List.of(6, 5, 4), idsOf(first.getList("firstBatch", Document.class)));
        long id = first.getLong("id");
        assertNotEquals(0L, id);
        assertEquals(coll.getNamespace().getFullName(), first.getString("ns"));
        Document second = cursorOf(getMore(id, 3));
        assertEquals(List.of(3, 2, 1), idsOf(second.getList("nextBatch", Document.class)));
        assertEquals(id, second.getLong("id"));
        Document last = cursorOf(getMore(id, 3));
        assertEquals(List.of(0), idsOf(last.getList("nextBatch", Document.class)));
        assertEquals(0L, last.getLong("id"));
    }

    @Test
    void aggregateWithBatchSizeZeroDefersEverything() {
        insertNumbered(3);
        Document first = cursorOf(aggregate(List.of(new Document("$match", new Document())), new Document("batchSize", 0)));
        assertTrue(first.getList("firstBatch", Document.class).isEmpty());
        Document rest = cursorOf(run(new Document("getMore", first.getLong("id")).append("collection", name())));
        assertEquals(3, rest.getList("nextBatch", Document.class).size());
        assertEquals(0L, rest.getLong("id"));
    }

    @Test
    void aggregateResultsThatFitTheBatchCloseTheCursor() {
        insertNumbered(3);
        Document first = cursorOf(aggregate(List.of(new Document("$match", new Document())), new Document("batchSize", 3)));
        assertEquals(3, first.getList("firstBatch", Document.class).size());
        assertEquals(0L, first.getLong("id"));
    }

    @Test
    void aggregateCursorIsCountedAndCanBeKilled() {
        insertNumbered(5);
        long before = openCursors();
        long id = cursorOf(aggregate(List.of(), new Document("batchSize", 1))).getLong("id");
        assertEquals(before + 1, openCursors());
        Document reply = run(new Document("killCursors", name()).append("cursors", List.of(id)));
        assertEquals(List.of(id), reply.getList("cursorsKilled", Long.class));
        assertEquals(before, openCursors());
        assertEquals(43, commandError(new Document("getMore", id).append("collection", name())).getErrorCode());
    }

    @Test
    void driverAggregateWithBatchSizeSeesEveryDocument() {
        insertNumbered(10);
        List<Document> docs = coll.aggregate(List.of(new Document("$sort", new Document("_id", 1)))).batchSize(3).into(new ArrayList<>());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), idsOf(docs));
    }
}
