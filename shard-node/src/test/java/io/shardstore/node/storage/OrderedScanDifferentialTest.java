package io.shardstore.node.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Index-ordered scans, bounded index walks for unsorted filters and top-k sorts against the engine's own answer
 * (match everything, sort everything) on the same data: random filters, sorts, skips, limits and batch sizes, drained through getMore, with writes between
 * batches. Any difference in documents or their order fails, with the request that showed it.
 */
class OrderedScanDifferentialTest {
    private final StorageEngine storage = StorageEngine.inMemory();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Random random = new Random(20261205);

    @AfterEach
    void planningBackOn() {
        io.shardstore.node.storage.index.IndexScanPlan.enabled = true;
    }

    private Document run(String command, Document body) {
        Document reply = storage.run(channel, "db", command, body);
        assertEquals(1.0, ((Number) reply.get("ok")).doubleValue(), () -> command + " " + body + " -> " + reply);
        return reply;
    }

    private void seed() {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            Document d = new Document("_id", i % 10 == 0 ? (Object) ("s" + i) : i % 7 == 0 ? (Object) (i + 0.5) : (Object) i);
            if (i % 13 != 0) {
                d.put("a", random.nextInt(40));
            } else if (i % 2 == 0) {
                d.put("a", null);
            }
            d.put("b", random.nextInt(1000));
            d.put("c", "k" + random.nextInt(500));
            d.put("u", i);
            docs.add(d);
        }
        run("insert", new Document("insert", "c").append("documents", docs));
        run("createIndexes", new Document("createIndexes", "c").append("indexes", List.of(
            new Document("key", new Document("a", 1)).append("name", "a_1"),
            new Document("key", new Document("a", 1).append("b", -1)).append("name", "a_1_b_-1"),
            new Document("key", new Document("c", 1)).append("name", "c_1"),
            new Document("key", new Document("u", -1)).append("name", "u_-1").append("unique", true))));
    }

    private Document randomFilter() {
        int x = random.nextInt(1500);
        return switch (random.nextInt(11)) {
            case 0 -> new Document("_id", new Document("$gte", x));
            case 1 -> new Document("_id", new Document("$gt", x).append("$lt", x + random.nextInt(300)));
            case 2 -> new Document("a", random.nextInt(40)).append("b", new Document("$gte", random.nextInt(1000)));
            case 3 -> new Document("a", new Document("$lte", random.nextInt(40)));
            case 4 -> new Document("c", new Document("$gt", "k" + random.nextInt(500)));
            case 5 -> new Document("u", new Document("$lt", x)).append("b", new Document("$gt", 500));
            case 6 -> new Document("a", random.nextInt(40));
            case 7 -> new Document("$and", List.of(new Document("_id", new Document("$lte", x)), new Document("b", new Document("$lt", 700))));
            // A range as drivers write one (Filters.and of two conditions on one field), and bounds that cross.
            case 8 -> new Document("$and", List.of(new Document("_id", new Document("$gte", x)),
                new Document("_id", new Document("$lt", x + random.nextInt(200))), new Document("b", new Document("$gt", 100))));
            case 9 -> new Document("$and", List.of(new Document("u", new Document("$gt", x)), new Document("u", new Document("$lte", x - 5))));
            default -> new Document();
        };
    }

    private static final List<Document> SORTS = List.of(
        new Document("_id", 1), new Document("_id", -1), new Document("a", 1), new Document("a", -1),
        new Document("a", 1).append("b", -1), new Document("a", -1).append("b", 1), new Document("b", 1),
        new Document("c", -1), new Document("u", 1), new Document("u", -1), new Document("a", 1).append("b", 1));

    private List<Document> drain(Document find, boolean planning, boolean writeBetweenBatches) {
        io.shardstore.node.storage.index.IndexScanPlan.enabled = planning;
        Document reply = run("find", find.cloneDeeply());
        List<Document> out = new ArrayList<>();
        Document cursor = (Document) reply.get("cursor");
        ((List<?>) cursor.get("firstBatch")).forEach(d -> out.add(((Document) d).cloneDeeply()));
        long id = ((Number) cursor.get("id")).longValue();
        while (id != 0) {
            if (writeBetweenBatches) {
                run("update", new Document("update", "c").append("updates", List.of(
                    new Document("q", new Document("u", random.nextInt(1500))).append("u", new Document("$inc", new Document("b", 1))))));
            }
            reply = run("getMore", new Document("getMore", id).append("collection", "c").append("batchSize", 1 + random.nextInt(20)));
            cursor = (Document) reply.get("cursor");
            ((List<?>) cursor.get("nextBatch")).forEach(d -> out.add(((Document) d).cloneDeeply()));
            id = ((Number) cursor.get("id")).longValue();
        }
        return out;
    }

    @Test
    void sameDocumentsInTheSameOrderAsTheEngineAlone() {
        seed();
        int compared = 0;
        for (int i = 0; i < 600; i++) {
            Document find = new Document("find", "c").append("filter", randomFilter());
            if (random.nextInt(4) != 0) {
                find.append("sort", SORTS.get(random.nextInt(SORTS.size())));
            } // else unsorted: candidates from a bounded walk, still in the engine's scan order
            int limit = List.of(0, 1, 7, 50, 200).get(random.nextInt(5));
            if (limit > 0) {
                find.append("limit", limit);
            }
            if (random.nextInt(3) == 0) {
                find.append("skip", random.nextInt(10));
            }
            if (random.nextBoolean()) {
                find.append("batchSize", 1 + random.nextInt(30));
            }
            if (random.nextInt(4) == 0) {
                find.append("projection", new Document("b", 1));
            }
            List<Document> expected = drain(find, false, false);
            List<Document> actual = drain(find, true, false);
            assertEquals(expected, actual, () -> "request " + find);
            compared += expected.size();
        }
        assertTrue(compared > 10_000, "compared only " + compared + " documents");
    }

    @Test
    void aCursorResumesAfterWritesBetweenBatches() {
        seed();
        for (int i = 0; i < 100; i++) {
            Document find = new Document("find", "c").append("filter", new Document("_id", new Document("$gte", random.nextInt(1000))))
                .append("sort", new Document("_id", random.nextBoolean() ? 1 : -1)).append("batchSize", 1 + random.nextInt(10))
                .append("projection", new Document("_id", 1));
            List<Document> expected = drain(find, false, false);
            List<Document> actual = drain(find, true, true); // b changes, never _id: the same _ids in the same order
            assertEquals(expected, actual, () -> "request " + find);
        }
    }
}
