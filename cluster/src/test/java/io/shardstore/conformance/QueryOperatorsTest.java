package io.shardstore.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.regex.Pattern;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;

/** Query operators as a MongoDB 7.0 user expects find to apply them. */
class QueryOperatorsTest extends ConformanceTestBase {

    @BeforeEach
    void data() {
        coll.insertMany(List.of(
            new Document("_id", 1).append("n", 1).append("s", "apple").append("tags", List.of("a", "b")).append("sub", new Document("x", 1)),
            new Document("_id", 2).append("n", 2).append("s", "Banana").append("tags", List.of("b", "c")).append("sub", new Document("x", 2)),
            new Document("_id", 3).append("n", 3).append("s", "cherry").append("tags", List.of("c")).append("sub", new Document("x", 3).append("y", 1)),
            new Document("_id", 4).append("n", 4.5).append("s", "date").append("tags", List.of()),
            new Document("_id", 5).append("n", "five").append("s", null),
            new Document("_id", 6)));
    }

    @Test
    void eqOnScalar() {
        assertEquals(List.of(2), ids(Filters.eq("n", 2)));
    }

    @Test
    void eqMatchesAcrossNumericTypes() {
        assertEquals(List.of(2), ids(Filters.eq("n", 2.0)));
        assertEquals(List.of(2), ids(Filters.eq("n", 2L)));
    }

    @Test
    void neIncludesDocumentsWithoutTheField() {
        assertEquals(List.of(1, 3, 4, 5, 6), ids(Filters.ne("n", 2)));
    }

    @Test
    void gtAndLtRespectTypeBracketing() {
        // "five" is a string: numeric comparisons never match it.
        assertEquals(List.of(3, 4), ids(Filters.gt("n", 2)));
        assertEquals(List.of(1, 2), ids(Filters.lt("n", 3)));
    }

    @Test
    void gteAndLte() {
        assertEquals(List.of(2, 3), ids(Filters.and(Filters.gte("n", 2), Filters.lte("n", 3))));
    }

    @Test
    void stringComparisonIsBinary() {
        // Upper case sorts before lower case.
        assertEquals(List.of(1, 3, 4), ids(Filters.gt("s", "Banana")));
    }

    @Test
    void inOperator() {
        assertEquals(List.of(1, 3, 5), ids(Filters.in("n", 1, 3, "five")));
    }

    @Test
    void ninIncludesMissingField() {
        assertEquals(List.of(4, 5, 6), ids(Filters.nin("n", 1, 2, 3)));
    }

    @Test
    void inWithRegex() {
        assertEquals(List.of(1, 4), ids(Filters.in("s", Pattern.compile("^a"), Pattern.compile("^d"))));
    }

    @Test
    void andOrNor() {
        assertEquals(List.of(1, 3), ids(Filters.or(Filters.eq("n", 1), Filters.eq("s", "cherry"))));
        assertEquals(List.of(2), ids(Filters.and(Filters.gt("n", 1), Filters.lt("n", 3))));
        assertEquals(List.of(4, 5, 6), ids(Filters.nor(Filters.lt("n", 4), Filters.eq("n", 3))));
    }

    @Test
    void notInvertsIncludingMissing() {
        assertEquals(List.of(1, 2, 5, 6), ids(Filters.not(Filters.gt("n", 2))));
    }

    @Test
    void existsTrueAndFalse() {
        assertEquals(List.of(1, 2, 3), ids(Filters.exists("sub")));
        assertEquals(List.of(4, 5, 6), ids(Filters.exists("sub", false)));
    }

    @Test
    void existsTrueMatchesExplicitNull() {
        assertEquals(List.of(1, 2, 3, 4, 5), ids(Filters.exists("s")));
    }

    @Test
    void eqNullMatchesNullAndMissing() {
        assertEquals(List.of(5, 6), ids(Filters.eq("s", null)));
    }

    @Test
    void typeByAlias() {
        assertEquals(List.of(5), ids(Filters.type("n", "string")));
        assertEquals(List.of(4), ids(Filters.type("n", "double")));
        assertEquals(List.of(1, 2, 3), ids(Filters.type("n", "int")));
    }

    @Test
    void typeByNumberAndNumberAlias() {
        assertEquals(List.of(5), ids(new Document("n", new Document("$type", 2))));
        assertEquals(List.of(1, 2, 3, 4), ids(new Document("n", new Document("$type", "number"))));
    }

    @Test
    void regexWithOptions() {
        assertEquals(List.of(2), ids(Filters.regex("s", "^ban", "i")));
        assertEquals(List.of(), ids(Filters.regex("s", "^ban")));
        assertEquals(List.of(2), ids(new Document("s", new Document("$regex", "NAN").append("$options", "i"))));
    }

    @Test
    void arrayFieldMatchesAnyElement() {
        assertEquals(List.of(1, 2), ids(Filters.eq("tags", "b")));
    }

    @Test
    void arrayFieldMatchesWholeArrayExactly() {
        assertEquals(List.of(2), ids(Filters.eq("tags", List.of("b", "c"))));
        assertEquals(List.of(), ids(Filters.eq("tags", List.of("c", "b"))));
    }

    @Test
    void arrayIndexPath() {
        assertEquals(List.of(2, 3), ids(Filters.in("tags.0", "b", "c")));
        assertEquals(List.of(1), ids(Filters.eq("tags.1", "b")));
    }

    @Test
    void sizeOperator() {
        assertEquals(List.of(1, 2), ids(Filters.size("tags", 2)));
        assertEquals(List.of(4), ids(Filters.size("tags", 0)));
    }

    @Test
    void allOperator() {
        assertEquals(List.of(2), ids(Filters.all("tags", "c", "b")));
    }

    @Test
    void elemMatchOnScalars() {
        coll.insertOne(new Document("_id", 10).append("scores", List.of(3, 9)));
        coll.insertOne(new Document("_id", 11).append("scores", List.of(1, 20)));
        assertEquals(List.of(10), ids(new Document("scores", new Document("$elemMatch", new Document("$gt", 2).append("$lt", 10)))));
    }

    @Test
    void elemMatchOnSubdocuments() {
        coll.insertOne(new Document("_id", 10).append("items", List.of(new Document("k", "a").append("q", 1), new Document("k", "b").append("q", 5))));
        coll.insertOne(new Document("_id", 11).append("items", List.of(new Document("k", "a").append("q", 5))));
        assertEquals(List.of(11), ids(Filters.elemMatch("items", Filters.and(Filters.eq("k", "a"), Filters.gte("q", 5)))));
        // Without $elemMatch the conditions may be met by different elements.
        assertEquals(List.of(10, 11), ids(Filters.and(Filters.eq("items.k", "a"), Filters.gte("items.q", 5))));
    }

    @Test
    void dotNotationIntoSubdocument() {
        assertEquals(List.of(2, 3), ids(Filters.gte("sub.x", 2)));
        assertEquals(List.of(3), ids(Filters.exists("sub.y")));
    }

    @Test
    void embeddedDocumentEqualityIsExactAndOrdered() {
        assertEquals(List.of(1), ids(Filters.eq("sub", new Document("x", 1))));
        assertEquals(List.of(), ids(Filters.eq("sub", new Document("y", 1).append("x", 3))));
    }

    @Test
    void modOperator() {
        assertEquals(List.of(1, 3), ids(Filters.mod("n", 2, 1)));
    }

    @Test
    void exprComparesTwoFields() {
        coll.insertOne(new Document("_id", 10).append("a", 5).append("b", 3));
        coll.insertOne(new Document("_id", 11).append("a", 1).append("b", 3));
        assertEquals(List.of(10), ids(Filters.expr(new Document("$gt", List.of("$a", "$b")))));
    }

    @Test
    void inWithEmptyListMatchesNothing() {
        assertEquals(List.of(), ids(Filters.in("n", List.of())));
    }

    @Test
    void emptyFilterMatchesAll() {
        assertEquals(List.of(1, 2, 3, 4, 5, 6), ids(new Document()));
    }

    @Test
    void implicitAndOfSeveralFields() {
        assertEquals(List.of(3), ids(new Document("n", 3).append("s", "cherry")));
        assertEquals(List.of(), ids(new Document("n", 3).append("s", "apple")));
    }
}
