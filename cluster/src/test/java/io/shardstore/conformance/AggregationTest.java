package io.shardstore.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Facet;
import com.mongodb.client.model.Field;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UnwindOptions;

/** The aggregation pipeline stages and accumulators most applications use. */
class AggregationTest extends ConformanceTestBase {

    @BeforeEach
    void data() {
        coll.insertMany(List.of(
            new Document("_id", 1).append("cat", "a").append("qty", 5).append("price", 10.0).append("tags", List.of("x", "y")),
            new Document("_id", 2).append("cat", "a").append("qty", 3).append("price", 20.0).append("tags", List.of("y")),
            new Document("_id", 3).append("cat", "b").append("qty", 8).append("price", 5.0).append("tags", List.of()),
            new Document("_id", 4).append("cat", "b").append("qty", 1).append("price", 1.0),
            new Document("_id", 5).append("cat", "c").append("qty", 4).append("price", 2.5).append("tags", List.of("x"))));
    }

    private List<Document> aggregate(Bson... stages) {
        return coll.aggregate(List.of(stages)).into(new ArrayList<>());
    }

    private static List<Object> idsOf(List<Document> docs) {
        List<Object> out = new ArrayList<>();
        docs.forEach(d -> out.add(d.get("_id")));
        return out;
    }

    @Test
    void matchFilters() {
        assertEquals(List.of(1, 3), idsOf(aggregate(Aggregates.match(Filters.gte("qty", 5)), Aggregates.sort(Sorts.ascending("_id")))));
    }

    @Test
    void projectIncludesAndComputes() {
        List<Document> out = aggregate(Aggregates.match(Filters.eq("_id", 1)),
            Aggregates.project(Projections.fields(Projections.include("cat"),
                Projections.computed("total", new Document("$multiply", List.of("$qty", "$price"))))));
        assertEquals(List.of(new Document("_id", 1).append("cat", "a").append("total", 50.0)), out);
    }

    @Test
    void projectExcludes() {
        List<Document> out = aggregate(Aggregates.match(Filters.eq("_id", 4)), Aggregates.project(Projections.exclude("price", "qty")));
        assertEquals(List.of(new Document("_id", 4).append("cat", "b")), out);
    }

    @Test
    void groupWithSumAndCount() {
        List<Document> out = aggregate(
            Aggregates.group("$cat", Accumulators.sum("qty", "$qty"), Accumulators.sum("n", 1)),
            Aggregates.sort(Sorts.ascending("_id")));
        assertEquals(List.of(
            new Document("_id", "a").append("qty", 8).append("n", 2),
            new Document("_id", "b").append("qty", 9).append("n", 2),
            new Document("_id", "c").append("qty", 4).append("n", 1)), out);
    }

    @Test
    void groupWithAvgMinMax() {
        List<Document> out = aggregate(Aggregates.match(Filters.eq("cat", "a")),
            Aggregates.group("$cat", Accumulators.avg("avg", "$price"), Accumulators.min("min", "$qty"), Accumulators.max("max", "$qty")));
        assertEquals(List.of(new Document("_id", "a").append("avg", 15.0).append("min", 3).append("max", 5)), out);
    }

    @Test
    void groupWithPushAndAddToSet() {
        List<Document> out = aggregate(Aggregates.sort(Sorts.ascending("_id")), Aggregates.unwind("$tags"),
            Aggregates.group(null, Accumulators.push("all", "$tags"), Accumulators.addToSet("distinct", "$tags")));
        assertEquals(1, out.size());
        assertEquals(List.of("x", "y", "y", "x"), out.get(0).getList("all", String.class));
        assertEquals(Set.of("x", "y"), new HashSet<>(out.get(0).getList("distinct", String.class)));
    }

    @Test
    void groupByNullAggregatesEverything() {
        List<Document> out = aggregate(Aggregates.group(null, Accumulators.sum("qty", "$qty")));
        assertEquals(List.of(new Document("_id", null).append("qty", 21)), out);
    }

    @Test
    void groupWithFirstAndLastAfterSort() {
        List<Document> out = aggregate(Aggregates.sort(Sorts.ascending("qty")),
            Aggregates.group("$cat", Accumulators.first("low", "$_id"), Accumulators.last("high", "$_id")),
            Aggregates.match(Filters.eq("_id", "b")));
        assertEquals(List.of(new Document("_id", "b").append("low", 4).append("high", 3)), out);
    }

    @Test
    void groupByCompoundKey() {
        List<Document> out = aggregate(Aggregates.match(Filters.eq("cat", "a")),
            Aggregates.group(new Document("c", "$cat").append("big", new Document("$gte", List.of("$qty", 4))), Accumulators.sum("n", 1)),
            Aggregates.sort(Sorts.ascending("_id.big")));
        assertEquals(2, out.size());
        assertEquals(new Document("c", "a").append("big", false), out.get(0).get("_id"));
        assertEquals(new Document("c", "a").append("big", true), out.get(1).get("_id"));
    }

    @Test
    void sortSkipLimit() {
        List<Document> out = aggregate(Aggregates.sort(Sorts.descending("qty")), Aggregates.skip(1), Aggregates.limit(2));
        assertEquals(List.of(1, 5), idsOf(out));
    }

    @Test
    void unwindEmitsOneDocumentPerElement() {
        List<Document> out = aggregate(Aggregates.unwind("$tags"), Aggregates.sort(Sorts.orderBy(Sorts.ascending("_id"), Sorts.ascending("tags"))));
        assertEquals(List.of(1, 1, 2, 5), idsOf(out));
        assertEquals("x", out.get(0).getString("tags"));
        assertEquals("y", out.get(1).getString("tags"));
    }

    @Test
    void unwindPreservingNullAndEmpty() {
        List<Document> out = aggregate(Aggregates.unwind("$tags", new UnwindOptions().preserveNullAndEmptyArrays(true)),
            Aggregates.sort(Sorts.ascending("_id")));
        assertEquals(6, out.size());
        assertEquals(List.of(1, 1, 2, 3, 4, 5), idsOf(out));
    }

    @Test
    void unwindWithArrayIndex() {
        List<Document> out = aggregate(Aggregates.match(Filters.eq("_id", 1)),
            Aggregates.unwind("$tags", new UnwindOptions().includeArrayIndex("i")));
        assertEquals(0L, ((Number) out.get(0).get("i")).longValue());
        assertEquals(1L, ((Number) out.get(1).get("i")).longValue());
    }

    @Test
    void countStage() {
        assertEquals(List.of(new Document("total", 3)), aggregate(Aggregates.match(Filters.gte("qty", 4)), Aggregates.count("total")));
    }

    @Test
    void countOfNothingEmitsNoDocument() {
        assertTrue(aggregate(Aggregates.match(Filters.gt("qty", 100)), Aggregates.count("total")).isEmpty());
    }

    @Test
    void addFieldsKeepsExistingFields() {
        List<Document> out = aggregate(Aggregates.match(Filters.eq("_id", 2)),
            Aggregates.addFields(new Field<>("double", new Document("$multiply", List.of("$qty", 2)))),
            Aggregates.project(Projections.exclude("tags", "price")));
        assertEquals(List.of(new Document("_id", 2).append("cat", "a").append("qty", 3).append("double", 6)), out);
    }

    @Test
    void lookupJoinsForeignCollection() {
        db.getCollection("cats").insertMany(List.of(new Document("_id", "a").append("label", "Alpha"),
            new Document("_id", "b").append("label", "Beta")));
        List<Document> out = aggregate(Aggregates.match(Filters.in("_id", 1, 3, 5)),
            Aggregates.lookup("cats", "cat", "_id", "info"), Aggregates.sort(Sorts.ascending("_id")));
        assertEquals(3, out.size());
        assertEquals(List.of(new Document("_id", "a").append("label", "Alpha")), out.get(0).getList("info", Document.class));
        assertEquals("Beta", out.get(1).getList("info", Document.class).get(0).getString("label"));
        assertTrue(out.get(2).getList("info", Document.class).isEmpty());
    }

    @Test
    void facetRunsSubPipelines() {
        List<Document> out = aggregate(Aggregates.facet(
            new Facet("cheap", Aggregates.match(Filters.lt("price", 5)), Aggregates.count("n")),
            new Facet("top", Aggregates.sort(Sorts.descending("price")), Aggregates.limit(1), Aggregates.project(Projections.include("_id")))));
        assertEquals(1, out.size());
        assertEquals(List.of(new Document("n", 2)), out.get(0).getList("cheap", Document.class));
        assertEquals(List.of(new Document("_id", 2)), out.get(0).getList("top", Document.class));
    }

    @Test
    void replaceRootPromotesSubdocument() {
        coll.insertOne(new Document("_id", 10).append("inner", new Document("p", 1).append("q", 2)));
        List<Document> out = aggregate(Aggregates.match(Filters.eq("_id", 10)), Aggregates.replaceRoot("$inner"));
        assertEquals(List.of(new Document("p", 1).append("q", 2)), out);
    }

    @Test
    void sortByCount() {
        List<Document> out = aggregate(Aggregates.unwind("$tags"), Aggregates.sortByCount("$tags"));
        assertEquals(2, out.size());
        assertEquals(2, ((Number) out.get(0).get("count")).intValue());
    }

    @Test
    void expressionOperators() {
        List<Document> out = aggregate(Aggregates.match(Filters.eq("_id", 1)), Aggregates.project(Projections.fields(Projections.excludeId(),
            Projections.computed("upper", new Document("$toUpper", "$cat")),
            Projections.computed("label", new Document("$concat", List.of("$cat", "-", "x"))),
            Projections.computed("n", new Document("$size", "$tags")),
            Projections.computed("big", new Document("$cond", List.of(new Document("$gt", List.of("$qty", 4)), "yes", "no"))),
            Projections.computed("sum", new Document("$add", List.of("$qty", 1))))));
        assertEquals(List.of(new Document("upper", "A").append("label", "a-x").append("n", 2).append("big", "yes").append("sum", 6)), out);
    }

    @Test
    void outWritesResultCollection() {
        coll.aggregate(List.of(Aggregates.match(Filters.eq("cat", "a")), Aggregates.out("agg_out"))).toCollection();
        assertEquals(2, db.getCollection("agg_out").countDocuments());
    }

    @Test
    void aggregateOnMissingCollectionIsEmpty() {
        assertTrue(db.getCollection("nothing_here").aggregate(List.of(Aggregates.match(new Document()))).into(new ArrayList<>()).isEmpty());
    }

    @Test
    void matchWithExpr() {
        List<Document> out = aggregate(Aggregates.match(Filters.expr(new Document("$gt", List.of(new Document("$multiply", List.of("$qty", "$price")), 40)))),
            Aggregates.sort(Sorts.ascending("_id")));
        assertEquals(List.of(1, 2), idsOf(out));
    }

    @Test
    void unknownStageFails() {
        int code = commandError(new Document("aggregate", coll.getNamespace().getCollectionName())
            .append("pipeline", List.of(new Document("$noSuchStage", new Document()))).append("cursor", new Document())).getErrorCode();
        assertEquals(40324, code);
    }

    @Test
    void groupWithoutIdFails() {
        int code = commandError(new Document("aggregate", coll.getNamespace().getCollectionName())
            .append("pipeline", List.of(new Document("$group", new Document("n", new Document("$sum", 1))))).append("cursor", new Document()))
            .getErrorCode();
        assertEquals(15955, code);
    }
}
