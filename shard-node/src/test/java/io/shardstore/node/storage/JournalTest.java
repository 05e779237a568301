package io.shardstore.node.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    @Test
    void recordsAreDurableWhenTheFutureCompletesAndReadBackInOrder() throws Exception {
        Path file = dir.resolve("j.wal");
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        // A long commit interval: completion must come from the explicit durability request, not the timer.
        try (Journal journal = new Journal(file, 60_000)) {
            for (int i = 0; i < 1000; i++) {
                long seq = journal.append(("record-" + i).getBytes());
                if (i % 100 == 99) {
                    waits.add(journal.whenDurable(seq));
                }
            }
            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            List<byte[]> read = new ArrayList<>();
            assertEquals(1000, JournalReader.readAndRepair(file, read::add));
            assertArrayEquals("record-0".getBytes(), read.get(0));
            assertArrayEquals("record-999".getBytes(), read.get(999));
        }
    }

    @Test
    void aTornTailIsCutBackToTheLastWholeRecord() throws Exception {
        Path file = dir.resolve("j.wal");
        try (Journal journal = new Journal(file, 1)) {
            journal.whenDurable(journal.append("one".getBytes())).get(10, TimeUnit.SECONDS);
            journal.whenDurable(journal.append("two".getBytes())).get(10, TimeUnit.SECONDS);
        }
        long whole = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(whole - 2); // the second record loses its last bytes
        }
        List<byte[]> read = new ArrayList<>();
        assertEquals(1, JournalReader.readAndRepair(file, read::add));
        assertArrayEquals("one".getBytes(), read.get(0));
        assertEquals(Journal.RECORD_HEADER + 3, Files.size(file), "the torn record is gone from the file");
        assertTrue(JournalReader.readAndRepair(file, r -> { }) == 1);
    }
}
