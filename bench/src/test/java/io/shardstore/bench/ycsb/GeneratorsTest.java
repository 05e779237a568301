package io.shardstore.bench.ycsb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The request distributions behave like YCSB's: skewed where they should be, in range always. */
class GeneratorsTest {

    @Test
    void zipfianFavoursTheFirstItems() {
        ZipfianGenerator z = new ZipfianGenerator(0, 1000);
        long[] counts = new long[1000];
        for (int i = 0; i < 200_000; i++) {
            long v = z.next(1000);
            assertTrue(v >= 0 && v < 1000, "out of range: " + v);
            counts[(int) v]++;
        }
        assertTrue(counts[0] > counts[10] && counts[10] > counts[500], "not skewed: " + counts[0] + ", " + counts[10] + ", " + counts[500]);
        // theta 0.99: item 0 alone draws about 1/zeta(1000) = 13% of the requests
        assertTrue(counts[0] > 200_000 * 0.10 && counts[0] < 200_000 * 0.17, "item 0 drew " + counts[0]);
    }

    @Test
    void scrambledZipfianStaysInRangeAndSpreadsItsHotItems() {
        ScrambledZipfianGenerator g = new ScrambledZipfianGenerator(0, 10_000);
        Set<Long> hot = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            long v = g.next();
            assertTrue(v >= 0 && v < 10_000, "out of range: " + v);
            hot.add(v);
        }
        // skewed (far fewer distinct values than draws) yet not piled at the low end
        assertTrue(hot.size() < 10_000 && hot.stream().anyMatch(v -> v > 5_000), "distinct values: " + hot.size());
    }

    @Test
    void latestPrefersTheNewestAcknowledgedRecords() {
        InsertCounter inserts = new InsertCounter(1_000);
        SkewedLatestGenerator g = new SkewedLatestGenerator(inserts);
        int newest = 0;
        for (int i = 0; i < 10_000; i++) {
            long v = g.next();
            assertTrue(v >= 0 && v <= 999, "out of range: " + v);
            if (v >= 990) {
                newest++;
            }
        }
        assertTrue(newest > 3_000, "the newest 1% drew only " + newest);
        long n = inserts.issue();
        inserts.acknowledge(n);
        assertEquals(1_000, inserts.lastAcknowledged());
    }

    @Test
    void readersNeverSeeAnInsertStillInFlight() {
        InsertCounter inserts = new InsertCounter(10);
        long a = inserts.issue();
        long b = inserts.issue();
        inserts.acknowledge(b);
        assertEquals(9, inserts.lastAcknowledged(), "record " + a + " is still being inserted");
        inserts.acknowledge(a);
        assertEquals(11, inserts.lastAcknowledged());
        inserts.reset();
        assertEquals(9, inserts.lastAcknowledged());
        assertEquals(10, inserts.issued());
    }

    @Test
    void keysSpreadOverEqualChunksOfTheKeySpace() {
        long[] points = Keys.splitPoints(4);
        int[] perChunk = new int[4];
        for (long n = 0; n < 40_000; n++) {
            long id = Keys.idOf(n);
            assertTrue(id >= 0);
            int c = 0;
            while (c < points.length && id >= points[c]) {
                c++;
            }
            perChunk[c]++;
        }
        for (int count : perChunk) {
            assertTrue(count > 9_000 && count < 11_000, "uneven chunks: " + java.util.Arrays.toString(perChunk));
        }
    }
}
