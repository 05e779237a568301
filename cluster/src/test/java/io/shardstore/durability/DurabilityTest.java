package io.shardstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Field;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.shardstore.testkit.NodeProcess;

/** Writes acknowledged with j: true survive kill -9; a torn journal tail is cut off and the node starts. */
class DurabilityTest {
    private static final int N = 1_500;

    @TempDir
    Path dbpath;

    @Test
    void journaledWritesSurviveKill9() throws Exception {
        int port = NodeProcess.freePort();
        List<Object> ids = new ArrayList<>();
        try (NodeProcess node = NodeProcess.start(port, "--dbpath", dbpath.toString())) {
            try (MongoClient client = MongoClients.create(node.uri())) {
                MongoCollection<Document> c = client.getDatabase("dur").getCollection("docs").withWriteConcern(WriteConcern.JOURNALED);
                c.createIndex(Indexes.ascending("seq"), new IndexOptions().unique(true));
                c.createIndex(Indexes.ascending("payload")); // non-unique: rebuilt on restart, kept up by replay
                for (int i = 0; i < N; i++) {
                    Document d = new Document("seq", i).append("payload", "p" + i);
                    c.insertOne(d);
                    ids.add(d.get("_id"));
                }
                c.updateMany(Filters.lt("seq", 100), Updates.set("updated", true));
                c.deleteMany(Filters.gte("seq", N - 50));
                c.findOneAndUpdate(Filters.eq("seq", 200), Updates.inc("fam", 1),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
                c.findOneAndUpdate(Filters.eq("seq", -1), Updates.set("upserted", true),
                    new FindOneAndUpdateOptions().upsert(true));
                // Pipeline-style updates are computed by the node and written as replacements: journaled too.
                c.updateMany(Filters.and(Filters.gte("seq", 100), Filters.lt("seq", 110)),
                    List.of(Aggregates.set(new Field<>("twice", new Document("$multiply", List.of("$seq", 2))))));
                c.findOneAndUpdate(Filters.eq("seq", 300), List.of(Aggregates.unset("payload")));
                c.updateOne(Filters.eq("seq", -2), List.of(Aggregates.set(new Field<>("piped", true))), new UpdateOptions().upsert(true));
            }
            node.kill9();
        }
        try (NodeProcess node = NodeProcess.start(port, "--dbpath", dbpath.toString());
             MongoClient client = MongoClients.create(node.uri())) {
            MongoCollection<Document> c = client.getDatabase("dur").getCollection("docs");
            assertEquals(N - 50 + 2, c.countDocuments());
            assertEquals(100, c.countDocuments(Filters.eq("updated", true)));
            assertEquals(0, c.countDocuments(Filters.gte("seq", N - 50)));
            assertEquals(1, c.find(Filters.eq("seq", 200)).first().getInteger("fam"));
            assertEquals(true, c.find(Filters.eq("seq", -1)).first().getBoolean("upserted"));
            assertEquals(10, c.countDocuments(Filters.exists("twice")));
            assertEquals(218, c.find(Filters.eq("seq", 109)).first().getInteger("twice"));
            assertNull(c.find(Filters.eq("seq", 300)).first().get("payload"));
            assertEquals(true, c.find(Filters.eq("seq", -2)).first().getBoolean("piped"));
            assertEquals(7, c.find(Filters.eq("payload", "p7")).first().getInteger("seq"));
            assertEquals(0, c.countDocuments(Filters.eq("payload", "p300")), "unset by a pipeline, gone from the index");
            assertEquals(0, c.countDocuments(Filters.eq("payload", "p" + (N - 1))), "deleted, gone from the index");
            assertEquals(ids.get(7), c.find(Filters.eq("seq", 7)).first().get("_id"), "_id is kept as generated");
            // The unique index came back too.
            assertEquals(11000, assertDuplicate(c));
        }
    }

    private static int assertDuplicate(MongoCollection<Document> c) {
        try {
            c.insertOne(new Document("seq", 3));
        } catch (com.mongodb.MongoWriteException e) {
            return e.getError().getCode();
        }
        return -1;
    }

    @Test
    void tornJournalTailIsTruncatedAndTheRestRecovered() throws Exception {
        int port = NodeProcess.freePort();
        try (NodeProcess node = NodeProcess.start(port, "--dbpath", dbpath.toString())) {
            try (MongoClient client = MongoClients.create(node.uri())) {
                MongoCollection<Document> c = client.getDatabase("dur").getCollection("torn").withWriteConcern(WriteConcern.JOURNALED);
                for (int i = 0; i < 100; i++) {
                    c.insertOne(new Document("i", i));
                }
            }
            node.kill9();
        }
        Path journal = dbpath.resolve("journal").resolve("current.wal");
        long whole = Files.size(journal);
        assertNotEquals(0, whole);
        // A crash in the middle of a write: a header announcing 500 bytes, then only 10 of them.
        ByteBuffer torn = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN).putInt(500).putInt(12345);
        Files.write(journal, torn.array(), StandardOpenOption.APPEND);

        try (NodeProcess node = NodeProcess.start(port, "--dbpath", dbpath.toString());
             MongoClient client = MongoClients.create(node.uri())) {
            assertEquals(100, client.getDatabase("dur").getCollection("torn").countDocuments());
            assertTrue(node.output().contains("torn tail"), "the truncation is logged:\n" + node.output());
            client.getDatabase("dur").getCollection("torn").insertOne(new Document("i", 100));
            assertEquals(101, client.getDatabase("dur").getCollection("torn").countDocuments());
        }
    }

    @Test
    void corruptedLastRecordIsDroppedNotReplayed() throws Exception {
        int port = NodeProcess.freePort();
        try (NodeProcess node = NodeProcess.start(port, "--dbpath", dbpath.toString())) {
            try (MongoClient client = MongoClients.create(node.uri())) {
                MongoCollection<Document> c = client.getDatabase("dur").getCollection("crc").withWriteConcern(WriteConcern.JOURNALED);
                c.insertOne(new Document("_id", 1));
                c.insertOne(new Document("_id", 2));
            }
            node.kill9();
        }
        Path journal = dbpath.resolve("journal").resolve("current.wal");
        byte[] bytes = Files.readAllBytes(journal);
        bytes[bytes.length - 3] ^= 0x5a; // flip bits inside the last record's body
        Files.write(journal, bytes);
        try (NodeProcess node = NodeProcess.start(port, "--dbpath", dbpath.toString());
             MongoClient client = MongoClients.create(node.uri())) {
            MongoCollection<Document> c = client.getDatabase("dur").getCollection("crc");
            assertEquals(1, c.countDocuments());
            assertNull(c.find(Filters.eq("_id", 2)).first());
        }
    }

    @Test
    void takenPortAndUnusableDbpathFailWithOneLineAndExitCode() throws Exception {
        int port = NodeProcess.freePort();
        try (NodeProcess node = NodeProcess.start(port)) {
            NodeProcess.Result taken = NodeProcess.run(Duration.ofSeconds(30), "--port", Integer.toString(port));
            assertEquals(48, taken.exitCode());
            assertTrue(taken.output().contains("address already in use"), taken.output());
        }
        Path file = Files.createFile(dbpath.resolve("not-a-directory"));
        NodeProcess.Result bad = NodeProcess.run(Duration.ofSeconds(30), "--port", Integer.toString(port), "--dbpath", file.toString());
        assertEquals(48, bad.exitCode());
        assertTrue(bad.output().lines().anyMatch(l -> l.startsWith("shard-node: cannot create dbpath")), bad.output());
    }

    @Test
    void dataSurvivesACleanRestartToo() throws IOException, InterruptedException {
        int port = NodeProcess.freePort();
        try (NodeProcess node = NodeProcess.start(port, "--dbpath", dbpath.toString());
             MongoClient client = MongoClients.create(node.uri())) {
            client.getDatabase("dur").getCollection("clean").insertOne(new Document("k", "v"));
        }
        try (NodeProcess node = NodeProcess.start(port, "--dbpath", dbpath.toString());
             MongoClient client = MongoClients.create(node.uri())) {
            assertEquals("v", client.getDatabase("dur").getCollection("clean").find().first().getString("k"));
        }
    }

    /** A view is a catalog entry outside the engine: recovered from the journal, then from the checkpoint written after it. */
    @Test
    void aViewSurvivesRestartsFromTheJournalAndFromTheCheckpoint() throws IOException, InterruptedException {
        int port = NodeProcess.freePort();
        try (NodeProcess node = NodeProcess.start(port, "--dbpath", dbpath.toString());
             MongoClient client = MongoClients.create(node.uri())) {
            client.getDatabase("dur").getCollection("base").insertMany(List.of(new Document("k", 1), new Document("k", 2)));
            client.getDatabase("dur").createView("big", "base", List.of(Aggregates.match(Filters.gt("k", 1))));
        }
        for (int restart = 1; restart <= 2; restart++) {
            try (NodeProcess node = NodeProcess.start(port, "--dbpath", dbpath.toString());
                 MongoClient client = MongoClients.create(node.uri())) {
                assertEquals(1, client.getDatabase("dur").getCollection("big").countDocuments(), "restart " + restart);
                Document info = client.getDatabase("dur").listCollections().filter(Filters.eq("name", "big")).first();
                assertEquals("view", info.getString("type"), "restart " + restart);
            }
        }
    }
}
