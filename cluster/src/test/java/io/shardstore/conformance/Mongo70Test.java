package io.shardstore.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoServerException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Collation;
import com.mongodb.client.model.CollationStrength;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

/**
 * What MongoDB 7.0 does that drivers and mongosh send (issue 13): every option of a supported command is honoured or
 * refused, never accepted and ignored; {@code let}; {@code $switch}; dotted {@code $project}; per-collection index
 * drops; DuplicateKey details; upsert with a null {@code _id}. Runs on a node and through the router (sharded test
 * collection and an unsharded one), on single-node and replica-set shards, as the whole conformance suite does.
 */
class Mongo70Test extends ConformanceTestBase {

    private String name() {
        return coll.getNamespace().getCollectionName();
    }

    /** An unsharded collection of the test database (through the router: on the database's primary shard). */
    private MongoCollection<Document> plain() {
        return db.getCollection(name() + "_plain");
    }

    private static int code(Throwable e) {
        return ((MongoServerException) e).getCode();
    }

    @Test
    void anUnknownFieldIsRefusedAsMongod70Does() {
        for (Document command : List.of(new Document("find", name()).append("frobnicate", 1),
            new Document("count", name()).append("frobnicate", 1),
            new Document("aggregate", name()).append("pipeline", List.of()).append("cursor", new Document()).append("frobnicate", 1),
            new Document("insert", name()).append("documents", List.of(new Document("_id", 1))).append("frobnicate", 1))) {
            MongoServerException e = commandError(command);
            assertEquals(40415, e.getCode(), command.toJson());
            assertTrue(e.getMessage().contains("is an unknown field"), e.getMessage());
        }
        assertEquals(0, coll.countDocuments(), "the refused insert stored nothing");
    }

    @Test
    void aSortOnAnUpdateStatementIsUnknownToMongod70() {
        coll.insertOne(new Document("_id", 1).append("a", 1));
        MongoServerException e = commandError(new Document("update", name()).append("updates", List.of(
            new Document("q", new Document()).append("u", new Document("$set", new Document("a", 2))).append("sort", new Document("_id", -1)))));
        assertEquals(40415, e.getCode());
        assertTrue(e.getMessage().contains("'update.updates.sort'"), e.getMessage());
        assertEquals(1, coll.find(Filters.eq("_id", 1)).first().getInteger("a"), "nothing updated");
    }

    @Test
    void aCollationIsRefusedUnlessSimpleNeverIgnored() {
        for (MongoCollection<Document> c : List.of(coll, plain())) {
            c.insertMany(List.of(new Document("_id", 1).append("s", "ABC"), new Document("_id", 2).append("s", "abc")));
            Collation caseInsensitive = Collation.builder().locale("en").collationStrength(CollationStrength.SECONDARY).build();
            assertEquals(238, code(assertThrows(MongoServerException.class,
                () -> c.deleteMany(Filters.eq("s", "abc"), new com.mongodb.client.model.DeleteOptions().collation(caseInsensitive)))));
            assertEquals(238, code(assertThrows(MongoServerException.class,
                () -> c.find(Filters.eq("s", "abc")).collation(caseInsensitive).into(new ArrayList<>()))));
            assertEquals(238, code(assertThrows(MongoServerException.class,
                () -> c.updateMany(Filters.eq("s", "abc"), Updates.set("t", 1), new UpdateOptions().collation(caseInsensitive)))));
            assertEquals(238, code(assertThrows(MongoServerException.class,
                () -> c.countDocuments(Filters.eq("s", "abc"), new com.mongodb.client.model.CountOptions().collation(caseInsensitive)))));
            assertEquals(238, code(assertThrows(MongoServerException.class,
                () -> c.aggregate(List.of(new Document("$match", new Document("s", "abc")))).collation(caseInsensitive).into(new ArrayList<>()))));
            assertEquals(238, code(assertThrows(MongoServerException.class,
                () -> c.distinct("s", String.class).collation(caseInsensitive).into(new ArrayList<>()))));
            assertEquals(2, c.countDocuments(), "nothing deleted");
            Collation simple = Collation.builder().locale("simple").build();
            assertEquals(1, c.find(Filters.eq("s", "abc")).collation(simple).into(new ArrayList<>()).size());
            assertEquals(1, c.deleteMany(Filters.eq("s", "abc"), new com.mongodb.client.model.DeleteOptions().collation(simple)).getDeletedCount());
        }
    }

    @Test
    void optionsMongod70HasAndThisServerDoesNotAreRefused() {
        coll.insertOne(new Document("_id", 1));
        MongoServerException e = commandError(new Document("find", name()).append("returnKey", true));
        assertEquals(238, e.getCode());
        assertTrue(e.getMessage().contains("returnKey"), e.getMessage());
        assertEquals(238, commandError(new Document("find", name()).append("min", new Document("_id", 0))).getCode());
        // Asking for nothing is not asking: returnKey false, min {}.
        assertEquals(1, run(new Document("find", name()).append("returnKey", false)).get("cursor", Document.class)
            .getList("firstBatch", Document.class).size());
    }

    @Test
    void letVariablesBindInFindAggregateUpdateAndDelete() {
        for (MongoCollection<Document> c : List.of(coll, plain())) {
            c.insertMany(List.of(new Document("_id", 1).append("n", 5), new Document("_id", 2).append("n", 10),
                new Document("_id", 3).append("n", 15)));
            String n = c.getNamespace().getCollectionName();
            Document let = new Document("limit", 8).append("bounds", new Document("hi", 12));
            Document found = run(new Document("find", n)
                .append("filter", new Document("$expr", new Document("$gt", List.of("$n", "$$limit"))))
                .append("sort", new Document("_id", 1)).append("let", let));
            assertEquals(List.of(2, 3), found.get("cursor", Document.class).getList("firstBatch", Document.class).stream()
                .map(d -> d.getInteger("_id")).toList());
            List<Document> projected = c.aggregate(List.of(
                new Document("$match", new Document("$expr", new Document("$lt", List.of("$n", "$$bounds.hi")))),
                new Document("$project", new Document("over", new Document("$subtract", List.of("$n", "$$limit")))),
                new Document("$sort", new Document("_id", 1)))).let(let).into(new ArrayList<>());
            assertEquals(List.of(-3, 2), projected.stream().map(d -> d.getInteger("over")).toList());
            Document updated = run(new Document("update", n).append("updates", List.of(new Document("q",
                    new Document("$expr", new Document("$eq", List.of("$n", "$$target")))).append("u", new Document("$set", new Document("hit", true)))
                    .append("multi", true)))
                .append("let", new Document("target", 10)));
            assertEquals(1, updated.getInteger("n"));
            assertEquals(true, c.find(Filters.eq("_id", 2)).first().getBoolean("hit"));
            Document deleted = run(new Document("delete", n).append("deletes", List.of(new Document("q",
                    new Document("$expr", new Document("$gte", List.of("$n", "$$from")))).append("limit", 0)))
                .append("let", new Document("from", 10)));
            assertEquals(2, deleted.getInteger("n"));
            assertEquals(1, c.countDocuments());
            // A "$$x" outside $expr is a string to compare, as in mongod.
            c.insertOne(new Document("_id", 9).append("s", "$$limit"));
            assertEquals(1, run(new Document("find", n).append("filter", new Document("s", "$$limit")).append("let", let))
                .get("cursor", Document.class).getList("firstBatch", Document.class).size());
        }
    }

    @Test
    void switchPicksTheFirstTrueBranchOrTheDefault() {
        coll.insertMany(List.of(new Document("_id", 1).append("n", 5), new Document("_id", 2).append("n", 50),
            new Document("_id", 3).append("n", 500)));
        Document sw = new Document("$switch", new Document("branches", List.of(
                new Document("case", new Document("$lt", List.of("$n", 10))).append("then", "small"),
                new Document("case", new Document("$lt", List.of("$n", 100))).append("then", "medium")))
            .append("default", "large"));
        List<String> sizes = coll.aggregate(List.of(new Document("$project", new Document("size", sw)),
            new Document("$sort", new Document("_id", 1)))).map(d -> d.getString("size")).into(new ArrayList<>());
        assertEquals(List.of("small", "medium", "large"), sizes);
        // Sorted first: through the router the $project then runs in the router's merge part.
        assertEquals(List.of("small", "medium", "large"), coll.aggregate(List.of(new Document("$sort", new Document("_id", 1)),
            new Document("$project", new Document("size", sw)))).map(d -> d.getString("size")).into(new ArrayList<>()));
        // No default and no branch true: mongod's error 40066.
        Document noDefault = new Document("$switch", new Document("branches", List.of(
            new Document("case", new Document("$lt", List.of("$n", 10))).append("then", "small"))));
        MongoServerException e = assertThrows(MongoServerException.class, () -> coll.aggregate(List.of(
            new Document("$project", new Document("size", noDefault)))).into(new ArrayList<>()));
        assertEquals(40066, e.getCode());
    }

    @Test
    void aDottedProjectionBuildsNestedFields() {
        coll.insertOne(new Document("_id", 1).append("a", new Document("b", 1).append("c", 2)).append("x", 7));
        Document projected = coll.aggregate(List.of(new Document("$project", new Document("a.b", 1).append("y.z", "$x"))))
            .first();
        assertEquals(new Document("_id", 1).append("a", new Document("b", 1)).append("y", new Document("z", 7)), projected);
        assertEquals(projected, coll.aggregate(List.of(new Document("$sort", new Document("_id", 1)),
            new Document("$project", new Document("a.b", 1).append("y.z", "$x")))).first());
        Document found = coll.find().projection(new Document("a.c", 1).append("_id", 0)).first();
        assertEquals(new Document("a", new Document("c", 2)), found);
    }

    @Test
    void droppingAnIndexLeavesTheSameNamedIndexOfAnotherCollection() {
        MongoCollection<Document> other = plain();
        coll.insertOne(new Document("_id", 1).append("c", 10));
        other.insertOne(new Document("_id", 1).append("c", 10));
        coll.createIndex(new Document("c", 1)); // not unique: a sharded collection's unique index must start with its key
        other.createIndex(new Document("c", 1), new IndexOptions().unique(true));
        coll.dropIndex("c_1");
        assertEquals(List.of("_id_", "c_1"), other.listIndexes().map(d -> d.getString("name")).into(new ArrayList<>()));
        assertEquals(11000, assertThrows(MongoWriteException.class,
            () -> other.insertOne(new Document("_id", 2).append("c", 10))).getError().getCode(), "the other's index still holds");
        coll.insertOne(new Document("_id", 2).append("c", 10)); // this one's is gone
        coll.createIndex(new Document("d", 1));
        other.createIndex(new Document("d", 1));
        coll.dropIndexes();
        assertEquals(List.of("_id_", "c_1", "d_1"), other.listIndexes().map(d -> d.getString("name")).into(new ArrayList<>()));
    }

    @Test
    void aDuplicateKeyErrorNamesTheKeyPatternAndValue() {
        // A unique compound index: on an unsharded collection (a sharded one's must start with its shard key).
        MongoCollection<Document> coll = plain();
        coll.createIndex(new Document("email", 1).append("tenant", 1), new IndexOptions().unique(true));
        coll.insertOne(new Document("_id", 1).append("email", "a@x").append("tenant", 7));
        // The drivers keep keyPattern / keyValue in the raw write error (the Java driver's WriteError has no field).
        String name = coll.getNamespace().getCollectionName();
        Document insert = run(new Document("insert", name).append("documents",
            List.of(new Document("_id", 2).append("email", "a@x").append("tenant", 7))));
        Document error = insert.getList("writeErrors", Document.class).get(0);
        assertEquals(11000, error.getInteger("code"));
        assertEquals(new Document("email", 1).append("tenant", 1), error.get("keyPattern"), error.toJson());
        assertEquals(new Document("email", "a@x").append("tenant", 7), error.get("keyValue"), error.toJson());
        this.coll.insertOne(new Document("_id", 1));
        Document onId = run(new Document("insert", name()).append("documents", List.of(new Document("_id", 1))))
            .getList("writeErrors", Document.class).get(0);
        assertEquals(new Document("_id", 1), onId.get("keyPattern"), onId.toJson());
        assertEquals(new Document("_id", 1), onId.get("keyValue"), onId.toJson());
        coll.insertOne(new Document("_id", 3).append("email", "b@x").append("tenant", 7));
        Document update = run(new Document("update", name).append("updates", List.of(new Document("q", new Document("_id", 3))
            .append("u", new Document("$set", new Document("email", "a@x"))))));
        Document onUpdate = update.getList("writeErrors", Document.class).get(0);
        assertEquals(new Document("email", "a@x").append("tenant", 7), onUpdate.get("keyValue"), onUpdate.toJson());
        MongoServerException onFindAndModify = commandError(new Document("findAndModify", name)
            .append("query", new Document("_id", 3)).append("update", new Document("$set", new Document("email", "a@x"))));
        assertEquals(11000, onFindAndModify.getCode());
        Document raw = Document.parse(((com.mongodb.MongoCommandException) onFindAndModify).getResponse().toJson());
        assertEquals(new Document("email", 1).append("tenant", 1), raw.get("keyPattern"), raw.toJson());
    }

    @Test
    void aValidatorIsRefusedNotMadeAPlainCollection() {
        String validated = name() + "_validated";
        assertEquals(238, commandError(new Document("create", validated).append("validator", new Document("a", new Document("$exists", true))))
            .getCode());
        assertTrue(!db.listCollectionNames().into(new ArrayList<>()).contains(validated), "no collection was made");
    }

    @Test
    void collStatsStageReportsEachShardsPart() {
        insertNumbered(20);
        List<Document> stats = coll.aggregate(List.of(new Document("$collStats",
            new Document("storageStats", new Document()).append("count", new Document())))).into(new ArrayList<>());
        long total = 0;
        for (Document d : stats) {
            Document storage = d.get("storageStats", Document.class);
            assertTrue(storage.get("size") instanceof Number && storage.get("avgObjSize") instanceof Number, d.toJson());
            assertEquals(((Number) storage.get("count")).longValue(), ((Number) d.get("count")).longValue());
            total += ((Number) d.get("count")).longValue();
            assertEquals(ConformanceTarget.sharded(), d.containsKey("shard"), d.toJson());
        }
        assertEquals(20, total);
        assertEquals(238, code(assertThrows(MongoServerException.class, () -> coll.aggregate(List.of(
            new Document("$collStats", new Document("latencyStats", new Document())))).into(new ArrayList<>()))));
        assertEquals(238, code(assertThrows(MongoServerException.class, () -> coll.aggregate(List.of(
            new Document("$collStats", new Document("count", new Document())), new Document("$match", new Document())))
            .into(new ArrayList<>()))));
        if (ConformanceTarget.sharded()) {
            List<Document> distribution = admin().aggregate(List.of(new Document("$shardedDataDistribution", new Document())))
                .into(new ArrayList<>());
            Document ours = distribution.stream().filter(d -> coll.getNamespace().getFullName().equals(d.getString("ns")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + coll.getNamespace() + " in " + distribution));
            assertEquals(20, ours.getList("shards", Document.class).stream()
                .mapToLong(s -> ((Number) s.get("numOwnedDocuments")).longValue()).sum());
        }
    }

    @Test
    void anUpsertWithANullIdStoresANullId() {
        coll.updateOne(Filters.eq("_id", null), Updates.set("a", 1), new UpdateOptions().upsert(true));
        Document stored = coll.find(Filters.eq("a", 1)).first();
        assertTrue(stored.containsKey("_id"));
        assertNull(stored.get("_id"));
        coll.updateOne(Filters.eq("_id", null), Updates.set("a", 2), new UpdateOptions().upsert(true));
        assertEquals(1, coll.countDocuments(), "the second upsert found the first document");
        assertEquals(2, coll.find(Filters.eq("_id", null)).first().getInteger("a"));
        plain().insertOne(new Document("_id", null).append("b", 1));
        assertTrue(plain().find().first().containsKey("_id"));
        assertNull(plain().find().first().get("_id"), "an inserted null _id stays null");
    }

    @Test
    void documentsStageRunsAPipelineOverGivenDocuments() {
        List<Document> out = db.aggregate(List.of(new Document("$documents", List.of(new Document("x", 1), new Document("x", 2),
                new Document("x", 3))), new Document("$match", new Document("x", new Document("$gte", 2))),
            new Document("$project", new Document("_id", 0).append("y", new Document("$multiply", List.of("$x", 10))))))
            .into(new ArrayList<>());
        assertEquals(List.of(new Document("y", 20), new Document("y", 30)), out);
        assertEquals(List.of(new Document("a", 1)), db.aggregate(List.of(new Document("$documents", List.of(new Document("a", 1)))))
            .into(new ArrayList<>()), "no _id is added");
        assertEquals(238, code(assertThrows(MongoServerException.class, () -> db.aggregate(List.of(
            new Document("$documents", List.of(new Document("a", 1))), new Document("$lookup", new Document("from", name())
                .append("localField", "a").append("foreignField", "_id").append("as", "j")))).into(new ArrayList<>()))),
            "refused rather than joined with nothing");
        assertEquals(73, commandError(new Document("aggregate", 1).append("pipeline", List.of(new Document("$match", new Document())))
            .append("cursor", new Document())).getCode(), "a collection is required");
    }

    @Test
    void currentOpListsRunningOperations() {
        List<Document> ops = admin().aggregate(List.of(new Document("$currentOp", new Document("allUsers", true)),
            new Document("$match", new Document("command.aggregate", 1).append("ns", "admin.$cmd.aggregate"))))
            .into(new ArrayList<>());
        assertTrue(!ops.isEmpty(), "the $currentOp itself is running: " + ops);
        for (Document op : ops) {
            assertEquals("op", op.getString("type"), op.toJson());
            assertTrue(op.get("opid") != null && op.getBoolean("active"), op.toJson());
            if (ConformanceTarget.sharded()) {
                assertTrue(op.getString("shard").startsWith("shard") || op.getString("shard").equals("config"),
                    "through the router, each op names its shard (or the config server): " + op.toJson());
            }
        }
        assertEquals(73, code(assertThrows(MongoServerException.class,
            () -> db.aggregate(List.of(new Document("$currentOp", new Document()))).into(new ArrayList<>()))), "admin only");
    }

    @Test
    void listLocalSessionsShowsASessionInUse() {
        try (com.mongodb.client.ClientSession session = client.startSession()) {
            coll.withReadPreference(com.mongodb.ReadPreference.primary()).countDocuments(session, new Document());
            org.bson.BsonValue id = session.getServerSession().getIdentifier().get("id");
            List<Document> mine = db.aggregate(List.of(new Document("$listLocalSessions", new Document()),
                new Document("$match", new Document("_id.id", id)))).into(new ArrayList<>());
            assertEquals(1, mine.size(), "the session just used is listed");
            assertTrue(mine.get(0).get("lastUse") instanceof java.util.Date, mine.get(0).toJson());
        }
    }

    @Test
    void hostInfoDescribesTheMachineWithMongodsTypes() {
        Document info = admin().runCommand(new Document("hostInfo", 1));
        Document system = info.get("system", Document.class);
        assertTrue(system.get("currentTime") instanceof java.util.Date, system.toJson());
        assertTrue(system.get("memSizeMB") instanceof Long && system.getLong("memSizeMB") * 1024 * 1024 >= Runtime.getRuntime().maxMemory(),
            "the machine's memory, not a heap: " + system.toJson());
        assertEquals(Runtime.getRuntime().availableProcessors(), system.getInteger("numCores"));
        assertTrue(List.of("x86_64", "aarch64").contains(system.getString("cpuArch")) || !System.getProperty("os.arch").equals("amd64"),
            "mongod's name for the architecture: " + system.getString("cpuArch"));
        assertTrue(!system.getString("hostname").isBlank() && !system.getString("hostname").startsWith("127."), system.toJson());
        assertEquals(System.getProperty("os.name"), info.get("os", Document.class).getString("type"));
        assertTrue(info.get("extra", Document.class).getString("kernelVersion") != null, info.toJson());
    }

    @Test
    void dbStatsHasMongodsFieldsAndNumberTypes() {
        insertNumbered(10);
        Document stats = run(new Document("dbStats", 1));
        assertTrue(stats.get("collections") instanceof Integer && stats.getInteger("collections") >= 1, stats.toJson());
        assertTrue(stats.get("objects") instanceof Integer, stats.toJson());
        assertEquals(10, stats.getInteger("objects"));
        assertTrue(stats.get("views") instanceof Integer, stats.toJson());
        for (String size : List.of("avgObjSize", "dataSize", "storageSize", "indexSize", "totalSize", "fsUsedSize", "fsTotalSize")) {
            assertTrue(stats.get(size) instanceof Double, size + ": " + stats.toJson());
        }
        assertEquals(1, stats.getInteger("scaleFactor"));
        assertTrue(!stats.containsKey("numExtents") && !stats.containsKey("nsSizeMB"), "no MMAPv1 fields: " + stats.toJson());
        Document kb = run(new Document("dbStats", 1).append("scale", 1024));
        assertEquals(1024, kb.getInteger("scaleFactor"));
        assertEquals(stats.getDouble("dataSize") / 1024, kb.getDouble("dataSize"), 1e-9);
        assertEquals(51024, commandError(new Document("dbStats", 1).append("scale", 0)).getCode());
    }

    @Test
    void indexKindsNotBuiltAreRefusedNotMadePlainIndexes() {
        MongoCollection<Document> c = plain();
        c.insertOne(new Document("_id", 1).append("s", "a b").append("loc", List.of(1.0, 2.0)));
        for (Document key : List.of(new Document("s", "text"), new Document("loc", "2dsphere"), new Document("loc", "2d"),
            new Document("$**", 1))) {
            assertEquals(238, code(assertThrows(MongoServerException.class, () -> c.createIndex(key))), key.toJson());
        }
        assertEquals(67, code(assertThrows(MongoServerException.class, () -> c.createIndex(new Document("s", 1).append("loc", 1),
            new IndexOptions().expireAfter(60L, java.util.concurrent.TimeUnit.SECONDS)))), "TTL indexes have one field");
        assertEquals(197, commandError(new Document("createIndexes", name() + "_plain").append("indexes", List.of(
            new Document("key", new Document("s", 1)).append("name", "s_1").append("frobnicate", true)))).getCode());
        c.createIndex(new Document("s", "hashed"));
        assertEquals(List.of("_id_", "s_hashed"), c.listIndexes().map(i -> i.getString("name")).into(new ArrayList<>()),
            "only the hashed index was made");
    }

    @Test
    void getFieldAndSetFieldReachNamesAPathCannot() {
        coll.insertOne(new Document("_id", 1).append("price", 5).append("a", new Document("b", 99)));
        List<Document> out = coll.aggregate(List.of(
            new Document("$replaceRoot", new Document("newRoot", new Document("$setField", new Document("field", "a.b")
                .append("input", "$$ROOT").append("value", 7)))),
            new Document("$project", new Document("_id", 1)
                .append("dotted", new Document("$getField", "a.b"))
                .append("nested", "$a.b")
                .append("price", new Document("$getField", new Document("field", "price").append("input", "$$ROOT")))
                .append("fromInput", new Document("$getField", new Document("field", "x").append("input", new Document("x", 3))))
                .append("missing", new Document("$getField", "nope"))
                .append("withoutPrice", new Document("$unsetField", new Document("field", "price")
                    .append("input", new Document("price", 1).append("keep", 2)))))))
            .into(new ArrayList<>());
        assertEquals(new Document("_id", 1).append("dotted", 7).append("nested", 99).append("price", 5)
            .append("fromInput", 3).append("withoutPrice", new Document("keep", 2)), out.get(0));
        assertEquals(List.of(new Document("_id", 1).append("price", 9).append("a", new Document("b", 99))), coll.aggregate(List.of(
            new Document("$replaceRoot", new Document("newRoot", new Document("$setField", new Document("field", "price")
                .append("input", "$$ROOT").append("value", 9)))))).into(new ArrayList<>()), "replaced where it was");
        MongoServerException bare = assertThrows(MongoServerException.class, () -> coll.aggregate(List.of(new Document("$project",
            new Document("x", new Document("$getField", new Document("field", "$price")))))).into(new ArrayList<>()));
        assertTrue(bare.getMessage().contains("constant"), bare.getMessage());
        assertEquals(238, code(assertThrows(MongoServerException.class, () -> coll.aggregate(List.of(new Document("$project",
            new Document("x", new Document("$getField", new Document("$literal", "$price")))))).into(new ArrayList<>()))),
            "a name starting with $ is refused, not read as missing");
        // Stored by the engine, but refused by every replay of it (a secondary stopped applying the oplog): refused, 52.
        assertEquals(52, code(assertThrows(MongoServerException.class, () -> plain().insertOne(new Document("$a", 1)))));
        assertEquals(52, code(assertThrows(MongoServerException.class, () -> plain().insertOne(new Document("x", new Document("$b", 1))))));
        plain().insertOne(new Document("_id", "ok"));
        assertEquals(52, code(assertThrows(MongoServerException.class,
            () -> plain().updateOne(Filters.eq("_id", "ok"), Updates.set("y", new Document("$c", 1))))));
        assertEquals(52, code(assertThrows(MongoServerException.class,
            () -> plain().replaceOne(Filters.eq("_id", "ok"), new Document("z", List.of(new Document("$d", 1)))))));
        assertEquals(List.of(new Document("_id", "ok")), plain().find().into(new ArrayList<>()), "nothing with a $ name stored");
    }

    @Test
    void stageAliasesOfMongoDb42WorkAndStagesNotBuiltAreRefused() {
        insertNumbered(3);
        assertEquals(List.of(new Document("_id", 2).append("n", 2).append("twice", 4)), coll.aggregate(List.of(
            new Document("$match", new Document("_id", 2)),
            new Document("$set", new Document("twice", new Document("$multiply", List.of("$n", 2)))))).into(new ArrayList<>()));
        assertEquals(List.of(new Document("k", 1)), coll.aggregate(List.of(new Document("$match", new Document("_id", 1)),
            new Document("$replaceWith", new Document("k", "$n")))).into(new ArrayList<>()));
        for (Document stage : List.of(new Document("$setWindowFields", new Document("sortBy", new Document("n", 1))
                .append("output", new Document("s", new Document("$sum", "$n")))),
            new Document("$unionWith", name() + "_other"), new Document("$densify", new Document("field", "n")))) {
            assertEquals(238, code(assertThrows(MongoServerException.class,
                () -> coll.aggregate(List.of(stage)).into(new ArrayList<>()))), stage.toJson());
        }
    }

    @Test
    void collStatsCountsEveryShardAndHonoursScale() {
        insertNumbered(30); // spread over every shard when the test collection is sharded
        Document stats = run(new Document("collStats", name()));
        assertEquals(30, stats.get("count", Number.class).intValue(), stats.toJson());
        long size = stats.get("size", Number.class).longValue();
        assertTrue(size > 0, stats.toJson());
        Document kb = run(new Document("collStats", name()).append("scale", 1024));
        assertEquals(1024, kb.get("scaleFactor", Number.class).intValue(), kb.toJson());
        // Each shard divides (rounding down), then the router sums: within one unit per shard of the whole divided.
        assertTrue(Math.abs(size / 1024 - kb.get("size", Number.class).longValue()) <= 3, "scaled: " + kb.toJson());
        if (ConformanceTarget.sharded()) {
            assertEquals(true, stats.getBoolean("sharded"), stats.toJson());
        }
    }

    @Test
    void listDatabasesIsSortedByName() {
        for (String name : List.of("conf_order_zz", "conf_order_aa", "conf_order_mm")) {
            client.getDatabase(name).getCollection("c").insertOne(new Document("x", 1));
        }
        try {
            List<String> names = client.listDatabaseNames().into(new ArrayList<>());
            List<String> sorted = new ArrayList<>(names);
            sorted.sort(null);
            assertEquals(sorted, names, "mongod lists databases by name");
            assertTrue(names.containsAll(List.of("conf_order_aa", "conf_order_mm", "conf_order_zz")), names.toString());
        } finally {
            for (String name : List.of("conf_order_zz", "conf_order_aa", "conf_order_mm")) {
                client.getDatabase(name).drop();
            }
        }
    }
}
