package io.shardstore.node.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;

/** The index structure on its own: which queries it takes, and which positions it answers. */
class NonUniqueIndexTest {

    private static NonUniqueIndex index(String... fields) {
        List<IndexKey> keys = new ArrayList<>();
        for (String f : fields) {
            keys.add(new IndexKey(f, true));
        }
        return new NonUniqueIndex("test", keys, false);
    }

    private static Document doc(Object id, Object... kv) {
        Document d = new Document("_id", id);
        for (int i = 0; i < kv.length; i += 2) {
            d.put((String) kv[i], kv[i + 1]);
        }
        return d;
    }

    private static List<Integer> positions(NonUniqueIndex index, Document query) {
        List<Integer> out = new ArrayList<>();
        index.getPositions(query).forEach(out::add);
        return out;
    }

    @Test
    void takesEqualitiesInAndRangesButNotNullsOrWholeValues() {
        NonUniqueIndex index = index("n");
        assertTrue(index.canHandle(new Document("n", 5)));
        assertTrue(index.canHandle(new Document("n", new Document("$eq", "a"))));
        assertTrue(index.canHandle(new Document("n", new Document("$in", List.of(1, 2)))));
        assertTrue(index.canHandle(new Document("n", 5).append("x", new Document("$gt", 1))));
        assertTrue(index.canHandle(new Document("$and", List.of(new Document("x", 1), new Document("n", 2)))));
        assertTrue(index.canHandle(new Document("n", new Document("$gt", 5))), "a range: a walk of the ordered keys");
        assertFalse(index.canHandle(new Document("n", null)));
        assertFalse(index.canHandle(new Document("n", List.of(1, 2))));
        assertFalse(index.canHandle(new Document("n", new Document("a", 1))));
        assertFalse(index.canHandle(new Document("n", new Document("$in", List.of(1, new Document())))));
        assertFalse(index.canHandle(new Document("x", 1)));
        assertFalse(index.canHandle(new Document("$or", List.of(new Document("n", 1)))));
    }

    @Test
    void answersPositionsInScanOrderAcrossNumericTypesAndArrayElements() {
        NonUniqueIndex index = index("n");
        index.add(doc(1, "n", 5.0), 3, null);
        index.add(doc(2, "n", List.of(4, 5L)), 1, null);
        index.add(doc(3, "n", "5"), 2, null);
        index.add(doc(4, "n", 5), 0, null);
        assertEquals(List.of(0, 1, 3), positions(index, new Document("n", 5)));
        assertEquals(List.of(1, 2), positions(index, new Document("n", new Document("$in", List.of(4, "5")))));
        assertEquals(List.of(), positions(index, new Document("n", 6)));
    }

    @Test
    void followsRemovalAndUpdateById() {
        NonUniqueIndex index = index("a.b");
        Document one = doc(1, "a", List.of(new Document("b", 1), new Document("b", 2)));
        index.add(one, 0, null);
        index.add(doc(2, "a", new Document("b", 2)), 1, null);
        assertEquals(List.of(0, 1), positions(index, new Document("a.b", 2)));
        Document changed = doc(1, "a", new Document("b", 3));
        index.updateInPlace(one, changed, 0, null);
        assertEquals(List.of(1), positions(index, new Document("a.b", 2)));
        assertEquals(List.of(0), positions(index, new Document("a.b", 3)));
        assertEquals(Integer.valueOf(1), index.remove(doc(2, "a", new Document("b", 2))));
        assertEquals(List.of(), positions(index, new Document("a.b", 2)));
        assertEquals(Integer.valueOf(0), index.getPosition(doc(1)));
    }

    @Test
    void compoundNeedsEveryFieldAndTooManyKeysMeansEverywhere() {
        NonUniqueIndex index = index("a", "b");
        index.add(doc(1, "a", 1, "b", List.of("x", "y")), 0, null);
        index.add(doc(2, "a", 1, "b", "z"), 1, null);
        List<Integer> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(i);
        }
        index.add(doc(3, "a", many, "b", many), 2, null); // 10,000 combinations: listed for every lookup instead
        assertFalse(index.canHandle(new Document("a", 1)));
        assertEquals(List.of(0, 2), positions(index, new Document("a", 1).append("b", "y")));
        assertEquals(List.of(1, 2), positions(index, new Document("a", 1).append("b", new Document("$in", List.of("z")))));
        index.remove(doc(3));
        assertEquals(List.of(0), positions(index, new Document("a", 1).append("b", "x")));
    }

    @Test
    void aCompoundIndexServesARangeOnItsLastFieldAfterEqualities() {
        NonUniqueIndex index = index("uuid", "lastmod");
        java.util.UUID a = java.util.UUID.randomUUID();
        java.util.UUID b = java.util.UUID.randomUUID();
        for (int i = 0; i < 10; i++) {
            index.add(doc(i, "uuid", a, "lastmod", new de.bwaldvogel.mongo.bson.BsonTimestamp(((long) (i % 5 + 1) << 32) | i)), i, null);
            index.add(doc(100 + i, "uuid", b, "lastmod", new de.bwaldvogel.mongo.bson.BsonTimestamp(((long) 9 << 32) | i)), 100 + i, null);
        }
        index.add(doc(50, "uuid", a, "lastmod", null), 50, null);
        index.add(doc(51, "uuid", a), 51, null);
        Document since = new Document("uuid", a).append("lastmod", new Document("$gt", new de.bwaldvogel.mongo.bson.BsonTimestamp(((long) 4 << 32) | 3)));
        assertTrue(index.canHandle(since));
        // lastmods 4|3, 5|4, 4|8 and 5|9: those above 4|3
        assertEquals(List.of(4, 8, 9), positions(index, since));
        Document inAnd = new Document("$and", List.of(new Document("uuid", a),
            new Document("lastmod", new Document("$gte", new de.bwaldvogel.mongo.bson.BsonTimestamp(((long) 2 << 32)))
                .append("$lt", new de.bwaldvogel.mongo.bson.BsonTimestamp(((long) 3 << 32))))));
        assertEquals(List.of(1, 6), positions(index, inAnd));
        index.remove(doc(9, "uuid", a, "lastmod", new de.bwaldvogel.mongo.bson.BsonTimestamp(((long) 5 << 32) | 9)));
        assertEquals(List.of(4, 8), positions(index, since));
        assertFalse(index.canHandle(new Document("lastmod", new Document("$gt", 1))), "no equality on the leading field");
        // A range the ordered values cannot bound (null, MinKey): the equality on uuid still bounds the walk, and the
        // engine's matcher decides on lastmod.
        Document nullBound = new Document("uuid", a).append("lastmod", new Document("$gt", null));
        assertTrue(index.canHandle(nullBound));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 50, 51), positions(index, nullBound));
        assertTrue(index.canHandle(new Document("uuid", a).append("lastmod", new Document("$gte", de.bwaldvogel.mongo.bson.MinKey.getInstance()))));
    }
}
