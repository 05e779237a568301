package io.shardstore.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;

import io.shardstore.protocol.CommandSyntax;

/**
 * Walks every field the CRUD commands declare ({@link CommandSyntax}, the table the node and the router enforce) and
 * shows what each does (issue 13: no option accepted and ignored): a field declared honoured has a probe here that
 * sees its effect; a field declared "accepted, no effect" is accepted and has its reason; a field declared
 * unsupported is refused with 238 when it asks for something. A new field in the table without a probe fails this
 * test. Runs on a node and through the router (the whole conformance matrix).
 */
class DeclaredSyntaxTest extends ConformanceTestBase {
    private static final Document CASE_INSENSITIVE = new Document("locale", "en").append("strength", 2);

    private final Map<String, Runnable> probes = new LinkedHashMap<>();

    private String name() {
        return coll.getNamespace().getCollectionName();
    }

    /** {_id: i, n: i, s: "x" + i, arr: [i, i + 10]} for i in 0..4. */
    private void fill() {
        coll.deleteMany(new Document());
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            docs.add(new Document("_id", i).append("n", i).append("s", "x" + i).append("arr", List.of(i, i + 10)));
        }
        coll.insertMany(docs);
    }

    private Document cmd(String command) {
        return new Document(command, name());
    }

    private List<Document> batch(Document reply) {
        return reply.get("cursor", Document.class).getList("firstBatch", Document.class);
    }

    private int refusedWith(Document command) {
        return refusedWith("", command);
    }

    /** The error code of a request (0 when it succeeds), on the database its command runs on. */
    private int refusedWith(String name, Document command) {
        try {
            runFor(name, command);
            return 0;
        } catch (MongoCommandException e) {
            return e.getErrorCode();
        }
    }

    /** listDatabases and renameCollection run on admin (mongod refuses them elsewhere); the rest on the test database. */
    private Document runFor(String name, Document command) {
        return name.equals("listDatabases") || name.equals("renameCollection") ? admin().runCommand(command) : run(command);
    }

    /** An unsharded source collection to rename, and no target. */
    private void prepareRename() {
        db.getCollection(name() + "_dst").drop();
        db.getCollection(name() + "_src").drop();
        db.getCollection(name() + "_src").insertOne(new Document("_id", 1));
    }

    /** The code of the first write error of a write command's reply (0 when there is none). */
    private int writeErrorCode(Document write) {
        Document reply = run(write);
        List<Document> errors = reply.getList("writeErrors", Document.class, List.of());
        return errors.isEmpty() ? 0 : errors.get(0).getInteger("code");
    }

    private static Document expr(String op, String field, String variable) {
        return new Document("$expr", new Document(op, List.of("$" + field, "$$" + variable)));
    }

    /** The diff a node stored for a sampled update, or null. */
    private Document sampledDiff(org.bson.BsonBinary sampleId) {
        Document entry = ConformanceTarget.client().getDatabase("config").getCollection("sampledQueriesDiff")
            .find(new Document("_id", sampleId)).first();
        return entry == null ? null : entry.get("diff", Document.class);
    }

    private void probe(String field, Runnable check) {
        probes.put(field, check);
    }

    private void defineProbes() {
        // find
        probe("find.filter", () -> assertEquals(2, batch(run(cmd("find").append("filter", new Document("n", new Document("$gte", 3))))).size()));
        probe("find.sort", () -> assertEquals(4, batch(run(cmd("find").append("sort", new Document("n", -1)))).get(0).getInteger("n")));
        probe("find.projection", () -> assertEquals(new Document("n", 0),
            batch(run(cmd("find").append("filter", new Document("_id", 0)).append("projection", new Document("n", 1).append("_id", 0)))).get(0)));
        probe("find.skip", () -> assertEquals(2, batch(run(cmd("find").append("sort", new Document("n", 1)).append("skip", 3))).size()));
        probe("find.limit", () -> assertEquals(2, batch(run(cmd("find").append("limit", 2))).size()));
        probe("find.batchSize", () -> {
            Document reply = run(cmd("find").append("batchSize", 2));
            assertEquals(2, batch(reply).size());
            assertNotEquals(0L, reply.get("cursor", Document.class).getLong("id"));
            run(new Document("killCursors", name()).append("cursors", List.of(reply.get("cursor", Document.class).getLong("id"))));
        });
        probe("find.singleBatch", () -> assertEquals(0L, run(cmd("find").append("batchSize", 2).append("singleBatch", true))
            .get("cursor", Document.class).getLong("id")));
        probe("find.tailable", () -> assertEquals(2, refusedWith(cmd("find").append("tailable", true)), "a non-capped collection"));
        probe("find.awaitData", () -> assertEquals(9, refusedWith(cmd("find").append("awaitData", true)), "awaitData without tailable"));
        probe("find.collation", () -> assertEquals(238, refusedWith(cmd("find").append("collation", CASE_INSENSITIVE))));
        probe("find.let", () -> assertEquals(2, batch(run(cmd("find").append("filter", expr("$gte", "n", "from"))
            .append("let", new Document("from", 3)))).size()));
        // aggregate
        probe("aggregate.pipeline", () -> assertEquals(2, batch(run(cmd("aggregate").append("pipeline",
            List.of(new Document("$match", new Document("n", new Document("$gte", 3))))).append("cursor", new Document()))).size()));
        probe("aggregate.cursor", () -> {
            Document reply = run(cmd("aggregate").append("pipeline", List.of()).append("cursor", new Document("batchSize", 2)));
            assertEquals(2, batch(reply).size());
            run(new Document("killCursors", name()).append("cursors", List.of(reply.get("cursor", Document.class).getLong("id"))));
        });
        probe("aggregate.collation", () -> assertEquals(238, refusedWith(cmd("aggregate").append("pipeline", List.of())
            .append("cursor", new Document()).append("collation", CASE_INSENSITIVE))));
        probe("aggregate.let", () -> assertEquals(2, batch(run(cmd("aggregate").append("pipeline",
            List.of(new Document("$match", expr("$gte", "n", "from")))).append("cursor", new Document())
            .append("let", new Document("from", 3)))).size()));
        // count, distinct
        probe("count.query", () -> assertEquals(2, run(cmd("count").append("query", new Document("n", new Document("$gte", 3)))).getInteger("n")));
        probe("count.limit", () -> assertEquals(2, run(cmd("count").append("limit", 2)).getInteger("n")));
        probe("count.skip", () -> assertEquals(2, run(cmd("count").append("skip", 3)).getInteger("n")));
        probe("count.collation", () -> assertEquals(238, refusedWith(cmd("count").append("collation", CASE_INSENSITIVE))));
        probe("distinct.key", () -> assertEquals(5, run(cmd("distinct").append("key", "s")).getList("values", Object.class).size()));
        probe("distinct.query", () -> assertEquals(2, run(cmd("distinct").append("key", "s")
            .append("query", new Document("n", new Document("$gte", 3)))).getList("values", Object.class).size()));
        probe("distinct.collation", () -> assertEquals(238, refusedWith(cmd("distinct").append("key", "s").append("collation", CASE_INSENSITIVE))));
        // insert
        probe("insert.documents", () -> {
            assertEquals(1, run(cmd("insert").append("documents", List.of(new Document("_id", 7)))).getInteger("n"));
            assertEquals(1, coll.countDocuments(new Document("_id", 7)));
        });
        probe("insert.ordered", () -> {
            List<Document> docs = List.of(new Document("_id", 0), new Document("_id", 8));
            assertEquals(0, run(cmd("insert").append("documents", docs).append("ordered", true)).getInteger("n"));
            assertEquals(1, run(cmd("insert").append("documents", docs).append("ordered", false)).getInteger("n"));
        });
        // update and its statements
        Document setA = new Document("$set", new Document("a", 1));
        probe("update.updates", () -> assertEquals(1, run(cmd("update").append("updates",
            List.of(new Document("q", new Document("_id", 1)).append("u", setA)))).getInteger("n")));
        probe("update.ordered", () -> {
            List<Document> statements = List.of(new Document("q", new Document("_id", 1)).append("u", new Document("$inc", new Document("s", 1))),
                new Document("q", new Document("_id", 2)).append("u", setA));
            assertEquals(0, run(cmd("update").append("updates", statements).append("ordered", true)).getInteger("n"));
            assertEquals(1, run(cmd("update").append("updates", statements).append("ordered", false)).getInteger("n"));
        });
        probe("update.let", () -> assertEquals(1, run(cmd("update").append("updates", List.of(new Document("q", expr("$eq", "n", "which"))
            .append("u", setA).append("multi", true))).append("let", new Document("which", 3))).getInteger("n")));
        probe("update.updates.q", () -> {
            run(cmd("update").append("updates", List.of(new Document("q", new Document("_id", 4)).append("u", new Document("$set", new Document("q", 1))))));
            assertEquals(List.of(4), ids(new Document("q", 1)));
        });
        probe("update.updates.u", () -> {
            run(cmd("update").append("updates", List.of(new Document("q", new Document("_id", 4)).append("u", new Document("$set", new Document("u", 2))))));
            assertEquals(2, coll.find(new Document("_id", 4)).first().getInteger("u"));
        });
        probe("update.updates.upsert", () -> {
            Document reply = run(cmd("update").append("updates", List.of(new Document("q", new Document("_id", 50)).append("u", setA).append("upsert", true))));
            assertEquals(1, reply.getList("upserted", Document.class).size());
        });
        probe("update.updates.multi", () -> {
            Document all = new Document("q", new Document("n", new Document("$gte", 0))).append("u", new Document("$set", new Document("m", 1)));
            assertEquals(1, run(cmd("update").append("updates", List.of(all))).getInteger("n"));
            assertEquals(5, run(cmd("update").append("updates", List.of(new Document(all).append("multi", true)))).getInteger("n"));
        });
        // sampleId: a router's field (the id of a sampled update): a node stores the update's change under it in
        // config.sampledQueriesDiff; the router refuses it from a client.
        probe("update.updates.sampleId", () -> {
            org.bson.BsonBinary id = new org.bson.BsonBinary(java.util.UUID.randomUUID());
            Document update = cmd("update").append("updates", List.of(new Document("q", new Document("_id", 2))
                .append("u", new Document("$set", new Document("sampled", 1))).append("sampleId", id)));
            if (ConformanceTarget.sharded()) {
                assertEquals(40415, refusedWith(update));
            } else {
                assertEquals(1, run(update).getInteger("nModified"));
                assertEquals(new Document("i", new Document("sampled", 1)), sampledDiff(id));
            }
        });
        probe("update.updates.arrayFilters", () -> {
            run(cmd("update").append("updates", List.of(new Document("q", new Document("_id", 1)).append("u",
                new Document("$set", new Document("arr.$[big]", 0))).append("arrayFilters", List.of(new Document("big", new Document("$gte", 10)))))));
            assertEquals(List.of(1, 0), coll.find(new Document("_id", 1)).first().getList("arr", Integer.class));
        });
        probe("update.updates.collation", () -> assertEquals(238, refusedWith(cmd("update").append("updates", List.of(
            new Document("q", new Document("_id", 1)).append("u", setA).append("collation", CASE_INSENSITIVE))))));
        probe("update.updates.c", () -> {
            run(cmd("update").append("updates", List.of(new Document("q", new Document("_id", 2))
                .append("u", List.of(new Document("$set", new Document("c", "$$seven")))).append("c", new Document("seven", 7)))));
            assertEquals(7, coll.find(new Document("_id", 2)).first().getInteger("c"));
        });
        // delete and its statements
        probe("delete.deletes", () -> assertEquals(1, run(cmd("delete").append("deletes",
            List.of(new Document("q", new Document("_id", 1)).append("limit", 1)))).getInteger("n")));
        probe("delete.ordered", () -> {
            // A statement that fails (an unknown operator), then one that deletes.
            List<Document> statements = List.of(new Document("q", new Document("n", new Document("$frobnicate", 1))).append("limit", 0),
                new Document("q", new Document("_id", 3)).append("limit", 1));
            assertEquals(0, run(cmd("delete").append("deletes", statements).append("ordered", true)).getInteger("n"));
            assertEquals(1, run(cmd("delete").append("deletes", statements).append("ordered", false)).getInteger("n"));
        });
        probe("delete.let", () -> assertEquals(2, run(cmd("delete").append("deletes", List.of(new Document("q", expr("$gte", "n", "from"))
            .append("limit", 0))).append("let", new Document("from", 3))).getInteger("n")));
        probe("delete.deletes.q", () -> {
            run(cmd("delete").append("deletes", List.of(new Document("q", new Document("_id", 4)).append("limit", 1))));
            assertEquals(0, coll.countDocuments(new Document("_id", 4)));
        });
        probe("delete.deletes.limit", () -> {
            assertEquals(1, run(cmd("delete").append("deletes", List.of(new Document("q", new Document("n", new Document("$lt", 3))).append("limit", 1)))).getInteger("n"));
            assertEquals(2, run(cmd("delete").append("deletes", List.of(new Document("q", new Document("n", new Document("$lt", 3))).append("limit", 0)))).getInteger("n"));
        });
        probe("delete.deletes.collation", () -> assertEquals(238, refusedWith(cmd("delete").append("deletes", List.of(
            new Document("q", new Document("_id", 1)).append("limit", 1).append("collation", CASE_INSENSITIVE))))));
        // findAndModify
        probe("findAndModify.query", () -> assertEquals(3, run(cmd("findAndModify").append("query", new Document("_id", 3))
            .append("update", setA)).get("value", Document.class).getInteger("n")));
        probe("findAndModify.sort", () -> assertEquals(4, run(cmd("findAndModify").append("query", new Document())
            .append("sort", new Document("n", -1)).append("update", setA)).get("value", Document.class).getInteger("n")));
        probe("findAndModify.remove", () -> {
            run(cmd("findAndModify").append("query", new Document("_id", 2)).append("remove", true));
            assertEquals(0, coll.countDocuments(new Document("_id", 2)));
        });
        probe("findAndModify.update", () -> {
            run(cmd("findAndModify").append("query", new Document("_id", 2)).append("update", new Document("$set", new Document("f", 1))));
            assertEquals(1, coll.find(new Document("_id", 2)).first().getInteger("f"));
        });
        probe("findAndModify.new", () -> assertEquals(1, run(cmd("findAndModify").append("query", new Document("_id", 1))
            .append("update", new Document("$set", new Document("g", 1))).append("new", true)).get("value", Document.class).getInteger("g")));
        probe("findAndModify.fields", () -> assertEquals(new Document("n", 1), run(cmd("findAndModify").append("query", new Document("_id", 1))
            .append("update", setA).append("fields", new Document("n", 1).append("_id", 0))).get("value", Document.class)));
        probe("findAndModify.upsert", () -> {
            run(cmd("findAndModify").append("query", new Document("_id", 60)).append("update", setA).append("upsert", true));
            assertEquals(1, coll.countDocuments(new Document("_id", 60)));
        });
        probe("findAndModify.sampleId", () -> {
            org.bson.BsonBinary id = new org.bson.BsonBinary(java.util.UUID.randomUUID());
            Document fam = cmd("findAndModify").append("query", new Document("_id", 3)).append("update",
                new Document("$set", new Document("sampled", 2))).append("sampleId", id);
            if (ConformanceTarget.sharded()) {
                assertEquals(40415, refusedWith(fam));
            } else {
                run(fam);
                assertEquals(new Document("i", new Document("sampled", 2)), sampledDiff(id));
            }
        });
        probe("findAndModify.arrayFilters", () -> {
            run(cmd("findAndModify").append("query", new Document("_id", 1)).append("update", new Document("$set", new Document("arr.$[small]", 9)))
                .append("arrayFilters", List.of(new Document("small", new Document("$lt", 10)))));
            assertEquals(List.of(9, 11), coll.find(new Document("_id", 1)).first().getList("arr", Integer.class));
        });
        probe("findAndModify.collation", () -> assertEquals(238, refusedWith(cmd("findAndModify").append("query", new Document("_id", 1))
            .append("update", setA).append("collation", CASE_INSENSITIVE))));
        probe("findAndModify.let", () -> assertEquals(3, run(cmd("findAndModify").append("query", expr("$eq", "n", "which"))
            .append("update", setA).append("let", new Document("which", 3))).get("value", Document.class).getInteger("n")));
        // create
        probe("create.collation", () -> assertEquals(238, refusedWith(new Document("create", name() + "_c").append("collation", CASE_INSENSITIVE))));
        probe("create.viewOn", () -> {
            run(new Document("create", name() + "_v1").append("viewOn", name()));
            assertEquals(5, db.getCollection(name() + "_v1").countDocuments(), "a view of the whole collection");
        });
        probe("create.pipeline", () -> {
            run(new Document("create", name() + "_v2").append("viewOn", name())
                .append("pipeline", List.of(new Document("$match", new Document("n", new Document("$lt", 2))))));
            assertEquals(2, db.getCollection(name() + "_v2").countDocuments());
        });
        // createIndexes
        probe("createIndexes.indexes", () -> {
            run(cmd("createIndexes").append("indexes", List.of(new Document("key", new Document("n", 1)).append("name", "n_1"))));
            assertTrue(coll.listIndexes().into(new ArrayList<>()).stream().anyMatch(i -> "n_1".equals(i.getString("name"))));
        });
        probe("createIndexes.indexes.key", () -> {
            run(cmd("createIndexes").append("indexes", List.of(new Document("key", new Document("s", -1)).append("name", "by_s"))));
            assertEquals(new Document("s", -1), coll.listIndexes().into(new ArrayList<>()).stream()
                .filter(i -> "by_s".equals(i.getString("name"))).findFirst().orElseThrow().get("key"));
        });
        probe("createIndexes.indexes.name", () -> {
            run(cmd("createIndexes").append("indexes", List.of(new Document("key", new Document("n", -1)).append("name", "my_name"))));
            assertTrue(coll.listIndexes().into(new ArrayList<>()).stream().anyMatch(i -> "my_name".equals(i.getString("name"))));
        });
        // A unique index on a field other than the shard key cannot exist on a sharded collection (mongos refuses it too):
        // these two probe an unsharded collection.
        String unsharded = name() + "_unique";
        probe("createIndexes.indexes.unique", () -> {
            db.getCollection(unsharded).drop();
            run(new Document("createIndexes", unsharded).append("indexes", List.of(new Document("key", new Document("s", 1))
                .append("name", "s_u").append("unique", true))));
            run(new Document("insert", unsharded).append("documents", List.of(new Document("_id", 1).append("s", "x1"))));
            assertEquals(11000, writeErrorCode(new Document("insert", unsharded).append("documents",
                List.of(new Document("_id", 2).append("s", "x1")))));
        });
        probe("createIndexes.indexes.sparse", () -> {
            db.getCollection(unsharded).drop();
            run(new Document("createIndexes", unsharded).append("indexes", List.of(new Document("key", new Document("z", 1))
                .append("name", "z_us").append("unique", true).append("sparse", true))));
            run(new Document("insert", unsharded).append("documents", List.of(new Document("_id", 71), new Document("_id", 72))));
            assertEquals(11000, writeErrorCode(new Document("insert", unsharded).append("documents",
                List.of(new Document("_id", 73).append("z", 1), new Document("_id", 74).append("z", 1)))));
        });
        probe("createIndexes.indexes.expireAfterSeconds", () -> {
            // The suite's nodes run the TTL monitor every second (-Dshardstore.ttlMonitorSleepSecs=1 in cluster/pom.xml).
            run(cmd("createIndexes").append("indexes", List.of(new Document("key", new Document("at", 1)).append("name", "at_ttl")
                .append("expireAfterSeconds", 0))));
            coll.insertOne(new Document("_id", 80).append("at", new java.util.Date(System.currentTimeMillis() - 60_000)));
            coll.insertOne(new Document("_id", 81).append("at", "not a date"));
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (coll.countDocuments(new Document("_id", 80)) > 0 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // polled until the monitor's next round
            }
            assertEquals(0, coll.countDocuments(new Document("_id", 80)), "expired and deleted");
            assertEquals(1, coll.countDocuments(new Document("_id", 81)), "not a date: never expires");
        });
        probe("createIndexes.indexes.collation", () -> assertEquals(238, refusedWith(cmd("createIndexes").append("indexes",
            List.of(new Document("key", new Document("s", 1)).append("name", "s_ci").append("collation", CASE_INSENSITIVE))))));
        // catalog reads and drops
        probe("listCollections.filter", () -> assertEquals(List.of(name()), batch(run(new Document("listCollections", 1)
            .append("filter", new Document("name", name())))).stream().map(d -> d.getString("name")).toList()));
        probe("listCollections.nameOnly", () -> {
            Document first = batch(run(new Document("listCollections", 1).append("nameOnly", true)
                .append("filter", new Document("name", name())))).get(0);
            assertEquals(java.util.Set.of("name", "type"), first.keySet(), first.toJson());
        });
        probe("listDatabases.filter", () -> assertEquals(List.of(db.getName()), admin().runCommand(new Document("listDatabases", 1)
            .append("filter", new Document("name", db.getName()))).getList("databases", Document.class).stream()
            .map(d -> d.getString("name")).toList()));
        probe("listDatabases.nameOnly", () -> {
            Document reply = admin().runCommand(new Document("listDatabases", 1).append("nameOnly", true));
            assertEquals(java.util.Set.of("name"), reply.getList("databases", Document.class).get(0).keySet(), reply.toJson());
        });
        probe("dropIndexes.index", () -> {
            coll.createIndex(new Document("n", 1));
            coll.createIndex(new Document("s", 1));
            run(cmd("dropIndexes").append("index", "n_1"));
            List<String> left = coll.listIndexes().map(i -> i.getString("name")).into(new ArrayList<>());
            assertTrue(!left.contains("n_1") && left.contains("s_1"), "only the named index dropped: " + left);
        });
        probe("dbStats.scale", () -> assertEquals(1024, run(new Document("dbStats", 1).append("scale", 1024)).getInteger("scaleFactor")));
        probe("killCursors.cursors", () -> {
            long id = run(cmd("find").append("batchSize", 1)).get("cursor", Document.class).getLong("id");
            Document killed = run(cmd("killCursors").append("cursors", List.of(id)));
            assertEquals(List.of(id), killed.getList("cursorsKilled", Long.class));
            assertEquals(43, refusedWith(new Document("getMore", id).append("collection", name())));
        });
        probe("renameCollection.to", () -> {
            prepareRename();
            admin().runCommand(base("renameCollection"));
            assertEquals(1, db.getCollection(name() + "_dst").countDocuments());
            assertEquals(0, db.getCollection(name() + "_src").countDocuments());
        });
        probe("renameCollection.dropTarget", () -> {
            prepareRename();
            db.getCollection(name() + "_dst").insertOne(new Document("_id", "old target"));
            assertEquals(48, refusedWith("renameCollection", new Document("renameCollection", db.getName() + "." + name() + "_src")
                .append("to", db.getName() + "." + name() + "_dst")), "the target exists");
            admin().runCommand(new Document("renameCollection", db.getName() + "." + name() + "_src")
                .append("to", db.getName() + "." + name() + "_dst").append("dropTarget", true));
            assertEquals(List.of(new Document("_id", 1)), db.getCollection(name() + "_dst").find().into(new ArrayList<>()));
        });
        // collMod
        probe("collMod.viewOn", () -> {
            run(new Document("create", name() + "_v3").append("viewOn", name() + "_nothing"));
            run(new Document("collMod", name() + "_v3").append("viewOn", name()).append("pipeline", List.of()));
            assertEquals(5, db.getCollection(name() + "_v3").countDocuments(), "now on the test collection");
        });
        probe("collMod.pipeline", () -> {
            run(new Document("create", name() + "_v4").append("viewOn", name()));
            run(new Document("collMod", name() + "_v4").append("viewOn", name())
                .append("pipeline", List.of(new Document("$match", new Document("n", 4)))));
            assertEquals(1, db.getCollection(name() + "_v4").countDocuments());
        });
    }

    /** A value that asks for the unsupported field's effect (so it must be refused). */
    private static Object asking(String field) {
        return switch (field) {
            case "min", "max", "index" -> new Document("_id", 1);
            case "collectionUUID" -> java.util.UUID.randomUUID().toString();
            case "freeStorage" -> 1;
            case "cappedSize", "cappedMax", "textIndexVersion", "2dsphereIndexVersion", "bits", "bucketSize" -> 1;
            case "weights", "partialFilterExpression", "wildcardProjection" -> new Document("b", 1);
            case "default_language" -> "english";
            case "language_override" -> "lang";
            case "term", "size", "expireAfterSeconds", "flags" -> 1;
            case "viewOn" -> "other";
            case "pipeline" -> List.of(new Document("$match", new Document()));
            case "validationLevel" -> "strict";
            case "validationAction" -> "warn";
            case "validator", "timeseries", "clusteredIndex", "changeStreamPreAndPostImages", "idIndex", "storageEngine",
                 "indexOptionDefaults", "encryptedFields" -> new Document("x", 1);
            default -> true;
        };
    }

    /** A harmless value of a field accepted with no effect. */
    private static Object harmless(String field) {
        return switch (field) {
            case "hint" -> new Document("_id", 1);
            case "fields" -> new Document();
            case "v" -> 2;
            case "cursor" -> new Document();
            case "ns" -> "ignored.ns";
            case "storageEngine" -> new Document();
            default -> true;
        };
    }

    /** The smallest valid request of a command, to which one field is added. */
    private Document base(String command) {
        return switch (command) {
            case "aggregate" -> cmd(command).append("pipeline", List.of()).append("cursor", new Document());
            case "distinct" -> cmd(command).append("key", "s");
            case "insert" -> cmd(command).append("documents", List.of(new Document("_id", 99)));
            case "update" -> cmd(command).append("updates", List.of(new Document("q", new Document("_id", 0))
                .append("u", new Document("$set", new Document("b", 1)))));
            case "delete" -> cmd(command).append("deletes", List.of(new Document("q", new Document("_id", 0)).append("limit", 1)));
            case "findAndModify" -> cmd(command).append("query", new Document("_id", 0)).append("update", new Document("$set", new Document("b", 1)));
            case "create" -> new Document("create", name() + "_created");
            case "collMod" -> cmd(command);
            case "listCollections", "listDatabases", "dropDatabase", "dbStats" -> new Document(command, 1);
            case "dropIndexes" -> cmd(command).append("index", "*");
            case "killCursors" -> cmd(command).append("cursors", List.of(12345L));
            case "renameCollection" -> {
                prepareRename();
                yield new Document(command, db.getName() + "." + name() + "_src").append("to", db.getName() + "." + name() + "_dst");
            }
            case "createIndexes" -> cmd(command).append("indexes", List.of(new Document("key", new Document("b", 1)).append("name", "b_1")));
            default -> cmd(command);
        };
    }

    @Test
    void everyDeclaredFieldIsHonouredOrDeclaredWithoutEffectOrRefused() {
        defineProbes();
        List<String> unprobed = new ArrayList<>();
        for (CommandSyntax.Syntax syntax : CommandSyntax.all()) {
            List<String> honoured = new ArrayList<>();
            syntax.fields().forEach(f -> honoured.add(syntax.command() + "." + f));
            syntax.statements().forEach((array, statement) -> statement.fields().forEach(f -> honoured.add(syntax.command() + "." + array + "." + f)));
            for (String field : honoured) {
                Runnable probe = probes.get(field);
                if (probe == null) {
                    unprobed.add(field);
                    continue;
                }
                fill();
                try {
                    probe.run();
                } catch (AssertionError | RuntimeException e) {
                    fail(field + ": " + e, e);
                }
            }
            for (Map.Entry<String, String> ignored : syntax.ignored().entrySet()) {
                assertFalse(ignored.getValue().isBlank(), syntax.command() + "." + ignored.getKey() + " says why it has no effect");
                fill();
                String command = syntax.command();
                Document request = base(command).append(ignored.getKey(), harmless(ignored.getKey()));
                if (command.equals("create")) {
                    db.getCollection(name() + "_created").drop();
                }
                runFor(command, request); // accepted
            }
            for (String field : syntax.unsupported()) {
                Document request = base(syntax.command()).append(field, asking(field));
                assertEquals(238, refusedWith(syntax.command(), request), syntax.command() + "." + field + " asked for: " + request.toJson());
            }
            // The fields of each statement (update.updates, createIndexes.indexes...) alike, in the first statement.
            syntax.statements().forEach((array, statement) -> {
                for (Map.Entry<String, String> ignored : statement.ignored().entrySet()) {
                    assertFalse(ignored.getValue().isBlank(), syntax.command() + "." + array + "." + ignored.getKey() + " says why");
                    fill();
                    if (syntax.command().equals("createIndexes")) {
                        coll.dropIndexes(); // each run makes the base index again, with one more option
                    }
                    Document request = base(syntax.command());
                    request.getList(array, Document.class).get(0).append(ignored.getKey(), harmless(ignored.getKey()));
                    run(request); // accepted
                }
                for (String field : statement.unsupported()) {
                    Document request = base(syntax.command());
                    request.getList(array, Document.class).get(0).append(field, asking(field));
                    assertEquals(238, refusedWith(request), syntax.command() + "." + array + "." + field + " asked for: " + request.toJson());
                }
            });
        }
        assertTrue(unprobed.isEmpty(), "fields declared honoured without a probe showing it: " + unprobed);
    }
}
