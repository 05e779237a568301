package io.shardstore.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;

import com.mongodb.ExplainVerbosity;
import com.mongodb.client.FindIterable;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;

/**
 * Range scans in index order and explain: a sorted, limited range on an indexed field walks the index and stops
 * at the limit (IXSCAN, documents examined about the limit), forwards and backwards, on _id, a secondary and a
 * compound index, through getMore; a sort no index gives is a top-k SORT. Through the router each shard reports
 * its own plan under {@code shards}.
 */
class IndexScanTest extends ConformanceTestBase {
    private static final int DOCS = 3000;

    private void seed() {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            docs.add(new Document("_id", i).append("n", i).append("g", i % 10).append("r", (i * 7919) % DOCS));
        }
        coll.insertMany(docs);
        coll.createIndex(Indexes.ascending("n"));
        coll.createIndex(Indexes.compoundIndex(Indexes.ascending("g"), Indexes.descending("n")));
    }

    private static List<Integer> ints(FindIterable<Document> find, String field) {
        List<Integer> out = new ArrayList<>();
        find.forEach(d -> out.add(d.getInteger(field)));
        return out;
    }

    private static List<Integer> range(int from, int step, int count) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(from + i * step);
        }
        return out;
    }

    /** Every shard's (or the node's) winning plan and execution stages, whichever the reply has. */
    private static List<Document> plans(Document explain, String section, String field) {
        Document part = explain.get(section, Document.class);
        Object top = part.get(field);
        if (top instanceof Document d && d.get("shards") instanceof List<?> shards) {
            List<Document> out = new ArrayList<>();
            shards.forEach(s -> out.add(((Document) s).get(field, Document.class)));
            return out;
        }
        return List.of((Document) top);
    }

    private static List<String> stages(Document plan) {
        List<String> out = new ArrayList<>();
        for (Document d = plan; d != null; d = d.get("inputStage", Document.class)) {
            out.add(d.getString("stage"));
        }
        return out;
    }

    private static Document stage(Document plan, String name) {
        for (Document d = plan; d != null; d = d.get("inputStage", Document.class)) {
            if (name.equals(d.getString("stage"))) {
                return d;
            }
        }
        return null;
    }

    /** The scan is an IXSCAN on {@code index} in every shard that was asked, examining at most {@code maxDocs} there. */
    private void assertIndexWalk(FindIterable<Document> find, String index, String direction, int maxDocs) {
        Document explain = find.explain(ExplainVerbosity.EXECUTION_STATS);
        List<Document> plans = plans(explain, "queryPlanner", "winningPlan");
        assertFalse(plans.isEmpty(), explain::toJson);
        for (Document plan : plans) {
            Document ixscan = stage(plan, "IXSCAN");
            assertTrue(ixscan != null, () -> "no IXSCAN in " + stages(plan) + ": " + explain.toJson());
            assertEquals(index, ixscan.getString("indexName"), explain::toJson);
            assertEquals(direction, ixscan.getString("direction"), explain::toJson);
            assertFalse(stages(plan).contains("SORT"), explain::toJson);
        }
        for (Document executed : plans(explain, "executionStats", "executionStages")) {
            Document fetch = stage(executed, "FETCH");
            assertTrue(fetch != null && ((Number) fetch.get("docsExamined")).intValue() <= maxDocs,
                () -> "documents examined: " + explain.toJson());
        }
    }

    @Test
    void idRangeSortedWithALimitWalksTheIndexBothWays() {
        seed();
        FindIterable<Document> forward = coll.find(Filters.gte("_id", 1000)).sort(new Document("_id", 1)).limit(100);
        assertEquals(range(1000, 1, 100), ints(forward, "_id"));
        assertIndexWalk(forward, "_id_", "forward", 101);
        FindIterable<Document> backward = coll.find(Filters.lte("_id", 2500)).sort(new Document("_id", -1)).limit(100);
        assertEquals(range(2500, -1, 100), ints(backward, "_id"));
        assertIndexWalk(backward, "_id_", "backward", 101);
    }

    @Test
    void secondaryAndCompoundIndexesGiveTheirOrder() {
        seed();
        FindIterable<Document> onN = coll.find(Filters.and(Filters.gt("n", 1500), Filters.lt("n", 2900)))
            .sort(new Document("n", 1)).limit(50);
        assertEquals(range(1501, 1, 50), ints(onN, "n"));
        assertIndexWalk(onN, "n_1", "forward", 51);
        // Equality on g, range on n, sorted on n against the index's direction: a backward walk of {g: 1, n: -1}.
        FindIterable<Document> compound = coll.find(Filters.and(Filters.eq("g", 3), Filters.gte("n", 1000)))
            .sort(new Document("n", 1)).limit(20);
        assertEquals(range(1003, 10, 20), ints(compound, "n"));
        assertIndexWalk(compound, "g_1_n_-1", "backward", 21);
        FindIterable<Document> compoundForward = coll.find(Filters.eq("g", 7)).sort(new Document("n", -1)).limit(5);
        assertEquals(range(2997, -10, 5), ints(compoundForward, "n"));
        assertIndexWalk(compoundForward, "g_1_n_-1", "forward", 6);
    }

    @Test
    void getMoreContinuesTheWalkWhereTheBatchStopped() {
        seed();
        FindIterable<Document> all = coll.find(Filters.gte("n", 100)).sort(new Document("n", -1)).batchSize(7);
        assertEquals(range(DOCS - 1, -1, DOCS - 100), ints(all, "n"));
        FindIterable<Document> skipped = coll.find(Filters.lt("_id", 500)).sort(new Document("_id", 1)).skip(10).limit(30).batchSize(4);
        assertEquals(range(10, 1, 30), ints(skipped, "_id"));
    }

    @Test
    void aSortNoIndexGivesKeepsOnlyTheLimit() {
        seed();
        FindIterable<Document> byR = coll.find(Filters.gte("g", 5)).sort(new Document("r", 1)).limit(10);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            if (i % 10 >= 5) {
                expected.add((i * 7919) % DOCS);
            }
        }
        expected.sort(null);
        assertEquals(expected.subList(0, 10), ints(byR, "r"));
        Document explain = byR.explain(ExplainVerbosity.EXECUTION_STATS);
        for (Document plan : plans(explain, "queryPlanner", "winningPlan")) {
            Document sort = stage(plan, "SORT");
            assertTrue(sort != null, explain::toJson);
            assertEquals(10, ((Number) sort.get("limitAmount")).intValue(), explain::toJson);
        }
    }

    @Test
    void queryPlannerVerbosityHasNoExecutionStats() {
        seed();
        Bson filter = Filters.gte("_id", 10);
        Document explain = coll.find(filter).sort(new Document("_id", 1)).limit(3).explain(ExplainVerbosity.QUERY_PLANNER);
        assertFalse(explain.containsKey("executionStats"), explain::toJson);
        for (Document plan : plans(explain, "queryPlanner", "winningPlan")) {
            assertTrue(stages(plan).contains("IXSCAN"), explain::toJson);
        }
        Document count = run(new Document("explain", new Document("count", coll.getNamespace().getCollectionName())
            .append("query", new Document("g", 1))).append("verbosity", "executionStats"));
        // As mongod: a count returns no documents, and its COUNT stage (on each shard) says how many it counted.
        assertEquals(0, ((Number) count.get("executionStats", Document.class).get("nReturned")).intValue(), count::toJson);
        long counted = 0;
        for (Document stages : plans(count, "executionStats", "executionStages")) {
            counted += ((Number) stage(stages, "COUNT").get("nCounted")).longValue();
        }
        assertEquals(DOCS / 10, counted, count::toJson);
    }
}
