package io.shardstore.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Date;
import java.util.List;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

/** Update operators applied by update commands, checked on the stored document. */
class UpdateOperatorsTest extends ConformanceTestBase {

    private Document apply(Document original, Bson update) {
        coll.insertOne(original);
        coll.updateOne(Filters.eq("_id", original.get("_id")), update);
        return coll.find(Filters.eq("_id", original.get("_id"))).first();
    }

    private static Document doc(Object... kv) {
        Document d = new Document("_id", 1);
        for (int i = 0; i < kv.length; i += 2) {
            d.append((String) kv[i], kv[i + 1]);
        }
        return d;
    }

    @Test
    void setAddsAndOverwrites() {
        assertEquals(doc("a", 2, "b", "x"), apply(doc("a", 1), Updates.combine(Updates.set("a", 2), Updates.set("b", "x"))));
    }

    @Test
    void setCreatesNestedPath() {
        assertEquals(doc("a", new Document("b", new Document("c", 1))), apply(doc(), Updates.set("a.b.c", 1)));
    }

    @Test
    void setIntoArrayElementByIndex() {
        assertEquals(doc("arr", List.of(1, 9, 3)), apply(doc("arr", List.of(1, 2, 3)), Updates.set("arr.1", 9)));
    }

    @Test
    void unsetRemovesField() {
        assertEquals(doc("b", 2), apply(doc("a", 1, "b", 2), Updates.unset("a")));
    }

    @Test
    void unsetOfMissingFieldIsNotAModification() {
        coll.insertOne(doc("b", 2));
        assertEquals(0, coll.updateOne(Filters.eq("_id", 1), Updates.unset("a")).getModifiedCount());
    }

    @Test
    void incAddsAndCreates() {
        assertEquals(doc("a", 6, "b", -2), apply(doc("a", 1), Updates.combine(Updates.inc("a", 5), Updates.inc("b", -2))));
    }

    @Test
    void incKeepsWidestNumericType() {
        Document d = apply(doc("i", 1, "l", 1L), Updates.combine(Updates.inc("i", 1.5), Updates.inc("l", 1)));
        assertEquals(2.5, d.get("i"));
        assertInstanceOf(Long.class, d.get("l"));
        assertEquals(2L, d.get("l"));
    }

    @Test
    void incOnStringFailsWithTypeMismatch() {
        coll.insertOne(doc("a", "x"));
        MongoWriteException e = assertThrows(MongoWriteException.class, () -> coll.updateOne(Filters.eq("_id", 1), Updates.inc("a", 1)));
        assertEquals(14, e.getError().getCode());
        assertEquals("x", coll.find().first().get("a"));
    }

    @Test
    void incPastIntRangePromotesToLong() {
        Document d = apply(doc("i", Integer.MAX_VALUE), Updates.inc("i", 1));
        assertInstanceOf(Long.class, d.get("i"));
        assertEquals(Integer.MAX_VALUE + 1L, d.get("i"));
    }

    @Test
    void mulMultipliesAndCreatesZero() {
        assertEquals(doc("a", 12, "b", 0), apply(doc("a", 4), Updates.combine(Updates.mul("a", 3), Updates.mul("b", 5))));
    }

    @Test
    void minAndMax() {
        assertEquals(doc("lo", 2, "hi", 9), apply(doc("lo", 5, "hi", 5), Updates.combine(Updates.min("lo", 2), Updates.max("hi", 9))));
        Document unchanged = new Document("_id", 2).append("lo", 2).append("hi", 9);
        assertEquals(unchanged, apply(new Document(unchanged), Updates.combine(Updates.min("lo", 7), Updates.max("hi", 3))));
    }

    @Test
    void renameMovesField() {
        assertEquals(doc("b", 1), apply(doc("a", 1), Updates.rename("a", "b")));
    }

    @Test
    void pushAppends() {
        assertEquals(doc("arr", List.of(1, 2)), apply(doc("arr", List.of(1)), Updates.push("arr", 2)));
    }

    @Test
    void pushCreatesArray() {
        assertEquals(doc("arr", List.of("x")), apply(doc(), Updates.push("arr", "x")));
    }

    @Test
    void pushEachWithSortAndSlice() {
        Document d = apply(doc("arr", List.of(5, 1)),
            Updates.pushEach("arr", List.of(3, 9, 2), new PushOptions().sort(1).slice(3)));
        assertEquals(List.of(1, 2, 3), d.getList("arr", Integer.class));
    }

    @Test
    void pushEachAtPosition() {
        Document d = apply(doc("arr", List.of(1, 4)), Updates.pushEach("arr", List.of(2, 3), new PushOptions().position(1)));
        assertEquals(List.of(1, 2, 3, 4), d.getList("arr", Integer.class));
    }

    @Test
    void pushOnNonArrayFails() {
        coll.insertOne(doc("arr", 1));
        MongoWriteException e = assertThrows(MongoWriteException.class, () -> coll.updateOne(Filters.eq("_id", 1), Updates.push("arr", 2)));
        assertEquals(2, e.getError().getCode());
    }

    @Test
    void addToSetSkipsExisting() {
        assertEquals(doc("arr", List.of(1, 2, 3)), apply(doc("arr", List.of(1, 2)), Updates.addEachToSet("arr", List.of(2, 3, 3))));
    }

    @Test
    void popFirstAndLast() {
        assertEquals(doc("a", List.of(2, 3), "b", List.of(1, 2)),
            apply(doc("a", List.of(1, 2, 3), "b", List.of(1, 2, 3)), Updates.combine(Updates.popFirst("a"), Updates.popLast("b"))));
    }

    @Test
    void pullByCondition() {
        assertEquals(doc("arr", List.of(1, 2)), apply(doc("arr", List.of(1, 5, 2, 8)), Updates.pullByFilter(Filters.gt("arr", 4))));
    }

    @Test
    void pullMatchingValue() {
        assertEquals(doc("arr", List.of(1, 3)), apply(doc("arr", List.of(1, 2, 3, 2)), Updates.pull("arr", 2)));
    }

    @Test
    void pullAllRemovesEveryListedValue() {
        assertEquals(doc("arr", List.of(3)), apply(doc("arr", List.of(1, 2, 3, 1)), Updates.pullAll("arr", List.of(1, 2))));
    }

    @Test
    void currentDateSetsADate() {
        Date before = new Date(System.currentTimeMillis() - 60_000);
        Document d = apply(doc(), Updates.currentDate("at"));
        assertInstanceOf(Date.class, d.get("at"));
        assertTrue(d.getDate("at").after(before));
    }

    @Test
    void setOnInsertAppliesOnlyWhenUpserting() {
        coll.updateOne(Filters.eq("_id", 1), Updates.combine(Updates.set("a", 1), Updates.setOnInsert("created", true)),
            new UpdateOptions().upsert(true));
        assertEquals(doc("a", 1, "created", true), coll.find().first());
        coll.updateOne(Filters.eq("_id", 1), Updates.combine(Updates.set("a", 2), Updates.setOnInsert("created", false)),
            new UpdateOptions().upsert(true));
        assertEquals(doc("a", 2, "created", true), coll.find().first());
    }

    @ShardedDifference("a single-document update needs the shard key or _id (ShardKeyNotFound 61)")

    @Test
    void positionalOperatorUpdatesFirstMatch() {
        coll.insertOne(doc("arr", List.of(1, 2, 3, 2)));
        coll.updateOne(Filters.eq("arr", 2), Updates.set("arr.$", 20));
        assertEquals(List.of(1, 20, 3, 2), coll.find().first().getList("arr", Integer.class));
    }

    @Test
    void allPositionalOperatorUpdatesEveryElement() {
        coll.insertOne(doc("arr", List.of(new Document("v", 1), new Document("v", 2))));
        coll.updateOne(Filters.eq("_id", 1), Updates.inc("arr.$[].v", 10));
        assertEquals(List.of(new Document("v", 11), new Document("v", 12)), coll.find().first().getList("arr", Document.class));
    }

    @Test
    void filteredPositionalOperatorWithArrayFilters() {
        coll.insertOne(doc("arr", List.of(1, 5, 8, 2)));
        coll.updateOne(Filters.eq("_id", 1), Updates.set("arr.$[big]", 0),
            new UpdateOptions().arrayFilters(List.of(Filters.gte("big", 5))));
        assertEquals(List.of(1, 0, 0, 2), coll.find().first().getList("arr", Integer.class));
    }

    @Test
    void conflictingPathsAreRejected() {
        coll.insertOne(doc("a", 1));
        MongoWriteException e = assertThrows(MongoWriteException.class,
            () -> coll.updateOne(Filters.eq("_id", 1), Updates.combine(Updates.set("a", 2), Updates.inc("a", 1))));
        assertEquals(40, e.getError().getCode());
    }

    @Test
    void settingIdIsRejectedAsImmutable() {
        coll.insertOne(doc("a", 1));
        MongoWriteException e = assertThrows(MongoWriteException.class, () -> coll.updateOne(Filters.eq("_id", 1), Updates.set("_id", 2)));
        assertEquals(66, e.getError().getCode());
    }

    @Test
    void updateManyWithOperatorsTouchesEachDocument() {
        insertNumbered(5);
        assertEquals(3, coll.updateMany(Filters.gte("n", 2), Updates.inc("n", 100)).getModifiedCount());
        assertEquals(List.of(2, 3, 4), ids(Filters.gte("n", 100)));
    }

    @Test
    void unsetNestedField() {
        Document d = apply(doc("a", new Document("b", 1).append("c", 2)), Updates.unset("a.b"));
        assertEquals(new Document("c", 2), d.get("a"));
        assertFalse(((Document) d.get("a")).containsKey("b"));
        assertNull(((Document) d.get("a")).get("b"));
    }
}
