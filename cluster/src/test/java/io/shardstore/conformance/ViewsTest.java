package io.shardstore.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoServerException;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;

/**
 * Views as MongoDB 7.0 has them (issue 13: {@code createView} made an empty plain collection): reads of a view run its
 * pipeline over its collection, with the read's own filter, sort, skip, limit and projection after it; writes are
 * {@code 166}; the definition is listed, changed by {@code collMod}, dropped, and checked (cycles, {@code $out}). On a
 * node and through the router, where the test collection is sharded: the view must read every shard of it.
 */
class ViewsTest extends ConformanceTestBase {

    private String name() {
        return coll.getNamespace().getCollectionName();
    }

    private static int code(Throwable e) {
        return ((MongoServerException) e).getCode();
    }

    /** {_id: i, n: i, even: i % 2 == 0} for i in [0, 30): spread over every shard of a sharded test collection. */
    private void thirtyDocuments() {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            docs.add(new Document("_id", i).append("n", i).append("even", i % 2 == 0).append("tags", List.of("t" + (i % 3), "all")));
        }
        coll.insertMany(docs);
    }

    private MongoCollection<Document> evens() {
        String view = name() + "_evens";
        db.createView(view, name(), List.of(new Document("$match", new Document("even", true)),
            new Document("$project", new Document("even", 0))));
        return db.getCollection(view);
    }

    @Test
    void aViewReadsItsPipelineOverEveryDocumentOfItsCollection() {
        thirtyDocuments();
        MongoCollection<Document> view = evens();
        List<Integer> all = new ArrayList<>();
        view.find().forEach(d -> all.add(d.getInteger("n")));
        all.sort(null);
        assertEquals(IntStream.range(0, 30).filter(i -> i % 2 == 0).boxed().toList(), all);
        assertEquals(15, view.countDocuments());
        assertEquals(15, view.estimatedDocumentCount());
        Document first = view.find().first();
        assertFalse(first.containsKey("even"), "the view's $project applied: " + first.toJson());
    }

    @Test
    void theReadsOwnFilterSortSkipLimitAndProjectionApplyAfterThePipeline() {
        thirtyDocuments();
        MongoCollection<Document> view = evens();
        List<Object> page = new ArrayList<>();
        view.find(Filters.gte("n", 10)).sort(Sorts.descending("n")).skip(2).limit(3)
            .projection(Projections.include("n")).forEach(d -> {
                assertEquals(java.util.Set.of("_id", "n"), d.keySet(), d.toJson());
                page.add(d.get("n"));
            });
        assertEquals(List.of(24, 22, 20), page);
        assertEquals(10, view.countDocuments(Filters.gte("n", 10)));
        assertEquals(3, view.countDocuments(Filters.gte("n", 10), new com.mongodb.client.model.CountOptions().skip(2).limit(3)));
        List<String> tags = view.distinct("tags", Filters.lt("n", 10), String.class).into(new ArrayList<>());
        tags.sort(null);
        assertEquals(List.of("all", "t0", "t1", "t2"), tags);
        List<Document> grouped = view.aggregate(List.of(new Document("$group", new Document("_id", null)
            .append("sum", new Document("$sum", "$n"))))).into(new ArrayList<>());
        assertEquals(210, grouped.get(0).getInteger("sum")); // 0 + 2 + ... + 28
    }

    @Test
    void aViewIsReadInBatchesWithGetMore() {
        thirtyDocuments();
        MongoCollection<Document> view = evens();
        List<Integer> seen = new ArrayList<>();
        view.find().sort(Sorts.ascending("n")).batchSize(4).forEach(d -> seen.add(d.getInteger("n")));
        assertEquals(IntStream.range(0, 30).filter(i -> i % 2 == 0).boxed().toList(), seen);
        Document firstBatch = run(new Document("find", name() + "_evens").append("batchSize", 4));
        Document cursor = firstBatch.get("cursor", Document.class);
        assertEquals(db.getName() + "." + name() + "_evens", cursor.getString("ns"), "the cursor names the view, as on mongod");
        long id = cursor.get("id", Number.class).longValue();
        assertTrue(id != 0);
        Document next = run(new Document("getMore", id).append("collection", name() + "_evens").append("batchSize", 2));
        assertEquals(db.getName() + "." + name() + "_evens", next.get("cursor", Document.class).getString("ns"), "getMore names the view too");
    }

    @Test
    void aViewOnAViewStacksBothPipelines() {
        thirtyDocuments();
        MongoCollection<Document> view = evens();
        db.createView(name() + "_small_evens", view.getNamespace().getCollectionName(),
            List.of(new Document("$match", new Document("n", new Document("$lt", 7)))));
        List<Object> ns = new ArrayList<>();
        db.getCollection(name() + "_small_evens").find().sort(Sorts.ascending("n")).forEach(d -> ns.add(d.get("n")));
        assertEquals(List.of(0, 2, 4, 6), ns);
    }

    @Test
    void writesToAViewAreRefusedAndStoreNothing() {
        thirtyDocuments();
        MongoCollection<Document> view = evens();
        assertEquals(166, code(assertThrows(MongoServerException.class, () -> view.insertOne(new Document("_id", 100)))));
        assertEquals(166, code(assertThrows(MongoServerException.class,
            () -> view.updateOne(Filters.eq("_id", 2), new Document("$set", new Document("x", 1))))));
        assertEquals(166, code(assertThrows(MongoServerException.class, () -> view.deleteMany(new Document()))));
        assertEquals(166, code(assertThrows(MongoServerException.class,
            () -> view.findOneAndDelete(Filters.eq("_id", 2)))));
        assertEquals(166, code(assertThrows(MongoServerException.class, () -> view.createIndex(new Document("n", 1)))));
        assertEquals(30, coll.countDocuments(), "nothing deleted from the view's collection");
        assertEquals(0, coll.countDocuments(Filters.exists("x")));
        assertEquals(15, view.countDocuments(), "still a view");
    }

    @Test
    void aViewIsListedChangedAndDropped() {
        thirtyDocuments();
        MongoCollection<Document> view = evens();
        String viewName = view.getNamespace().getCollectionName();
        Document info = db.listCollections().filter(Filters.eq("name", viewName)).first();
        assertEquals("view", info.getString("type"), info.toJson());
        assertEquals(name(), info.get("options", Document.class).getString("viewOn"));
        assertEquals(2, info.get("options", Document.class).getList("pipeline", Document.class).size());
        assertTrue(db.listCollectionNames().into(new ArrayList<>()).contains(viewName));

        run(new Document("collMod", viewName).append("viewOn", name())
            .append("pipeline", List.of(new Document("$match", new Document("n", new Document("$gte", 25))))));
        assertEquals(5, view.countDocuments(), "the new pipeline reads 25..29");

        view.drop();
        assertFalse(db.listCollectionNames().into(new ArrayList<>()).contains(viewName));
        assertEquals(30, coll.countDocuments(), "dropping the view left its collection alone");
        assertEquals(0, db.getCollection(viewName).countDocuments(), "the name is free, and no collection");
    }

    @Test
    void definitionsAreCheckedAsMongodChecksThem() {
        thirtyDocuments();
        MongoCollection<Document> view = evens();
        String viewName = view.getNamespace().getCollectionName();
        assertEquals(48, commandError(new Document("create", viewName)).getCode(), "a collection named as a view");
        assertEquals(48, commandError(new Document("create", name()).append("viewOn", "elsewhere")).getCode(),
            "a view named as a collection");
        assertEquals(167, commandError(new Document("create", name() + "_out").append("viewOn", name())
            .append("pipeline", List.of(new Document("$out", "x")))).getCode());
        assertEquals(140, commandError(new Document("collMod", viewName).append("viewOn", viewName)
            .append("pipeline", List.of())).getCode(), "a view on itself");
        assertEquals(14, commandError(new Document("create", name() + "_bad").append("viewOn", 5)).getCode());
        assertEquals(238, commandError(new Document("collMod", name()).append("validator", new Document("n", 1))).getCode(),
            "no validators here: refused, not ignored");
        assertEquals(1.0, run(new Document("collMod", name())).get("ok", Number.class).doubleValue(), "nothing to change is ok");
        assertEquals(26, commandError(new Document("collMod", name() + "_missing")).getCode());
        assertEquals(15, view.countDocuments(), "the view is as it was");
    }

    @Test
    void aViewReachesTheSecondaries() {
        thirtyDocuments();
        MongoCollection<Document> view = evens().withReadPreference(ReadPreference.secondaryPreferred());
        long deadline = System.nanoTime() + 20_000_000_000L;
        long seen = -1;
        while (System.nanoTime() < deadline) {
            try {
                seen = view.countDocuments();
                if (seen == 15) {
                    break;
                }
            } catch (MongoServerException notYet) {
                // the view's create has not reached the member read yet
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // polled until the deadline
        }
        assertEquals(15, seen);
    }

    /** A $lookup from a view either joins the view's documents or is refused (238): never an empty join. */
    @Test
    void aLookupFromAViewIsRightOrRefused() {
        thirtyDocuments();
        evens();
        MongoCollection<Document> plain = db.getCollection(name() + "_plain");
        plain.insertMany(List.of(new Document("_id", "a").append("ref", 4), new Document("_id", "b").append("ref", 5)));
        List<Document> joined;
        try {
            joined = plain.aggregate(List.of(new Document("$lookup", new Document("from", name() + "_evens")
                .append("localField", "ref").append("foreignField", "n").append("as", "hit")), new Document("$sort", new Document("_id", 1))))
                .into(new ArrayList<>());
        } catch (MongoServerException refused) {
            assertEquals(238, refused.getCode(), refused.getMessage());
            return;
        }
        assertEquals(1, joined.get(0).getList("hit", Document.class).size(), "4 is even: " + joined);
        assertEquals(0, joined.get(1).getList("hit", Document.class).size(), "5 is not: " + joined);
    }
}
