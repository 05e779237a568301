package io.shardstore.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.bson.BsonBinary;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.RenameCollectionOptions;
import com.mongodb.MongoNamespace;

/** Administrative and catalog commands: handshake, diagnostics, databases and collections. */
class CommandsTest extends ConformanceTestBase {

    private Document adminCommand(Document command) {
        return admin().runCommand(command);
    }

    private static double ok(Document reply) {
        return ((Number) reply.get("ok")).doubleValue();
    }

    private List<String> collectionNames() {
        List<String> names = db.listCollectionNames().into(new ArrayList<>());
        names.sort(null);
        return names;
    }

    private List<String> databaseNames() {
        return client.listDatabaseNames().into(new ArrayList<>());
    }

    @Test
    void ping() {
        assertEquals(1.0, ok(adminCommand(new Document("ping", 1))));
        assertEquals(1.0, ok(run(new Document("ping", 1))));
    }

    @Test
    void helloAdvertisesWireLimits() {
        Document hello = adminCommand(new Document("hello", 1));
        assertEquals(21, hello.getInteger("maxWireVersion"));
        assertEquals(0, hello.getInteger("minWireVersion"));
        assertEquals(16777216, hello.getInteger("maxBsonObjectSize"));
        assertEquals(48000000, hello.getInteger("maxMessageSizeBytes"));
        assertEquals(100000, hello.getInteger("maxWriteBatchSize"));
    }

    @Test
    void helloIdentifiesAWritablePrimary() {
        Document hello = adminCommand(new Document("hello", 1));
        assertEquals(true, hello.getBoolean("isWritablePrimary"));
        assertEquals(false, hello.getBoolean("readOnly"));
        assertInstanceOf(Date.class, hello.get("localTime"));
        assertEquals(30, hello.getInteger("logicalSessionTimeoutMinutes"));
        assertInstanceOf(Integer.class, hello.get("connectionId"));
        assertTrue(hello.getInteger("connectionId") >= 0);
    }

    @Test
    void legacyIsMasterAnswersIsmaster() {
        Document reply = adminCommand(new Document("isMaster", 1));
        assertEquals(true, reply.getBoolean("ismaster"));
        assertEquals(21, reply.getInteger("maxWireVersion"));
    }

    @Test
    void connectionIdsDifferAcrossConnections() {
        int mine = adminCommand(new Document("hello", 1)).getInteger("connectionId");
        try (MongoClient other = MongoClients.create(ConformanceTarget.uri())) {
            int theirs = other.getDatabase("admin").runCommand(new Document("hello", 1)).getInteger("connectionId");
            assertNotEquals(mine, theirs);
        }
    }

    @Test
    void buildInfoReportsVersion70() {
        Document info = adminCommand(new Document("buildInfo", 1));
        assertTrue(info.getString("version").startsWith("7.0"), info.getString("version"));
        List<Integer> versionArray = info.getList("versionArray", Integer.class);
        assertEquals(7, versionArray.get(0));
        assertEquals(0, versionArray.get(1));
        assertEquals(16777216, info.getInteger("maxBsonObjectSize"));
    }

    @Test
    void buildInfoLowercaseAlias() {
        assertTrue(adminCommand(new Document("buildinfo", 1)).getString("version").startsWith("7.0"));
    }

    @Test
    void serverStatusHasOpcountersAndCursorMetrics() {
        Document status = adminCommand(new Document("serverStatus", 1));
        Document opcounters = status.get("opcounters", Document.class);
        for (String field : List.of("insert", "query", "update", "delete", "getmore", "command")) {
            assertInstanceOf(Number.class, opcounters.get(field), field);
        }
        Document open = status.get("metrics", Document.class).get("cursor", Document.class).get("open", Document.class);
        assertInstanceOf(Number.class, open.get("total"));
        assertTrue(((Number) status.get("uptime")).doubleValue() >= 0);
        assertTrue(status.get("connections", Document.class).getInteger("current") >= 1);
        assertTrue(status.getString("version").startsWith("7.0"));
    }

    @Test
    void serverStatusCountsInserts() {
        long before = ((Number) adminCommand(new Document("serverStatus", 1)).get("opcounters", Document.class).get("insert")).longValue();
        insertNumbered(3);
        long after = ((Number) adminCommand(new Document("serverStatus", 1)).get("opcounters", Document.class).get("insert")).longValue();
        assertEquals(before + 3, after);
    }

    @Test
    void serverStatusCountsQueries() {
        coll.insertOne(new Document("a", 1));
        long before = ((Number) adminCommand(new Document("serverStatus", 1)).get("opcounters", Document.class).get("query")).longValue();
        coll.find().first();
        coll.find().first();
        long after = ((Number) adminCommand(new Document("serverStatus", 1)).get("opcounters", Document.class).get("query")).longValue();
        assertEquals(before + 2, after);
    }

    @Test
    void listDatabasesShowsDatabaseWithData() {
        coll.insertOne(new Document("a", 1));
        Document reply = adminCommand(new Document("listDatabases", 1));
        List<Document> dbs = reply.getList("databases", Document.class);
        Document mine = dbs.stream().filter(d -> d.getString("name").equals(db.getName())).findFirst().orElseThrow();
        assertInstanceOf(Number.class, mine.get("sizeOnDisk"));
        assertInstanceOf(Boolean.class, mine.get("empty"));
        assertInstanceOf(Number.class, reply.get("totalSize"));
    }

    @Test
    void listDatabasesNameOnly() {
        coll.insertOne(new Document("a", 1));
        Document reply = adminCommand(new Document("listDatabases", 1).append("nameOnly", true));
        Document mine = reply.getList("databases", Document.class).stream()
            .filter(d -> d.getString("name").equals(db.getName())).findFirst().orElseThrow();
        assertEquals(Set.of("name"), mine.keySet());
    }

    @Test
    void dropDatabaseRemovesIt() {
        coll.insertOne(new Document("a", 1));
        assertTrue(databaseNames().contains(db.getName()));
        Document reply = run(new Document("dropDatabase", 1));
        assertEquals(1.0, ok(reply));
        assertFalse(databaseNames().contains(db.getName()));
        assertEquals(0, coll.countDocuments());
    }

    @ShardedDifference("sharding the test collection creates it")

    @Test
    void createMakesEmptyCollection() {
        db.createCollection("made");
        assertEquals(List.of("made"), collectionNames());
        assertEquals(0, db.getCollection("made").countDocuments());
    }

    @ShardedDifference("sharding the test collection creates it")

    @Test
    void listCollectionsDescribesCollections() {
        db.createCollection("one");
        db.getCollection("two").insertOne(new Document("a", 1));
        List<Document> infos = db.listCollections().into(new ArrayList<>());
        Set<String> names = new HashSet<>();
        for (Document info : infos) {
            names.add(info.getString("name"));
            assertEquals("collection", info.getString("type"));
            assertInstanceOf(Document.class, info.get("options"));
        }
        assertEquals(Set.of("one", "two"), names);
    }

    @Test
    void listCollectionsWithNameFilter() {
        db.createCollection("keep");
        db.createCollection("other");
        List<Document> infos = db.listCollections().filter(Filters.eq("name", "keep")).into(new ArrayList<>());
        assertEquals(1, infos.size());
        assertEquals("keep", infos.get(0).getString("name"));
    }

    @ShardedDifference("sharding the test collection creates it")

    @Test
    void listCollectionsNameOnly() {
        db.createCollection("x1");
        Document reply = run(new Document("listCollections", 1).append("nameOnly", true));
        List<Document> batch = reply.get("cursor", Document.class).getList("firstBatch", Document.class);
        assertEquals(1, batch.size());
        assertEquals("x1", batch.get(0).getString("name"));
        assertEquals(db.getName() + ".$cmd.listCollections", reply.get("cursor", Document.class).getString("ns"));
    }

    @ShardedDifference("sharding the test collection creates it")

    @Test
    void listCollectionsOnEmptyDatabaseIsEmpty() {
        assertTrue(collectionNames().isEmpty());
    }

    @Test
    void dropRemovesCollection() {
        coll.insertOne(new Document("a", 1));
        assertTrue(collectionNames().contains(coll.getNamespace().getCollectionName()));
        coll.drop();
        assertFalse(collectionNames().contains(coll.getNamespace().getCollectionName()));
        assertEquals(0, coll.countDocuments());
    }

    @Test
    void dropOfMissingCollectionSucceeds() {
        assertEquals(1.0, ok(run(new Document("drop", "never_was"))));
    }

    @ShardedDifference("a sharded collection cannot be renamed (as with mongos)")

    @Test
    void renameCollectionMovesDocumentsAndIndexes() {
        coll.insertMany(List.of(new Document("_id", 1), new Document("_id", 2)));
        coll.createIndex(Indexes.ascending("a"));
        coll.renameCollection(new MongoNamespace(db.getName(), "renamed"));
        assertEquals(List.of("renamed"), collectionNames());
        assertEquals(2, db.getCollection("renamed").countDocuments());
        List<String> indexNames = new ArrayList<>();
        db.getCollection("renamed").listIndexes().forEach(d -> indexNames.add(d.getString("name")));
        assertTrue(indexNames.contains("a_1"));
    }

    @ShardedDifference("a sharded collection cannot be renamed (as with mongos)")

    @Test
    void renameCollectionWithDropTargetReplacesTarget() {
        coll.insertOne(new Document("_id", 1));
        db.getCollection("target").insertMany(List.of(new Document("_id", 8), new Document("_id", 9)));
        coll.renameCollection(new MongoNamespace(db.getName(), "target"), new RenameCollectionOptions().dropTarget(true));
        assertEquals(List.of("target"), collectionNames());
        assertEquals(1, db.getCollection("target").countDocuments());
    }

    @Test
    void countCommand() {
        insertNumbered(10);
        assertEquals(10, run(new Document("count", coll.getNamespace().getCollectionName())).getInteger("n"));
        assertEquals(3, run(new Document("count", coll.getNamespace().getCollectionName())
            .append("query", new Document("n", new Document("$lt", 3)))).getInteger("n"));
    }

    @Test
    void countCommandWithSkipAndLimit() {
        insertNumbered(10);
        assertEquals(4, run(new Document("count", coll.getNamespace().getCollectionName()).append("skip", 6)).getInteger("n"));
        assertEquals(2, run(new Document("count", coll.getNamespace().getCollectionName()).append("skip", 6).append("limit", 2))
            .getInteger("n"));
    }

    @Test
    void countOnMissingCollectionIsZero() {
        assertEquals(0, run(new Document("count", "missing_coll")).getInteger("n"));
    }

    @Test
    void distinctCommand() {
        coll.insertMany(List.of(new Document("c", "a"), new Document("c", "b"), new Document("c", "a"), new Document("d", 1)));
        List<String> values = new ArrayList<>(run(new Document("distinct", coll.getNamespace().getCollectionName()).append("key", "c"))
            .getList("values", String.class));
        values.sort(null);
        assertEquals(List.of("a", "b"), values);
    }

    @Test
    void distinctWithQueryAndArrays() {
        coll.insertMany(List.of(new Document("k", 1).append("tags", List.of("x", "y")),
            new Document("k", 2).append("tags", List.of("y", "z")), new Document("k", 3).append("tags", "w")));
        Set<String> values = coll.distinct("tags", Filters.lte("k", 2), String.class).into(new HashSet<>());
        assertEquals(Set.of("x", "y", "z"), values);
    }

    @Test
    void distinctOnMissingCollectionIsEmpty() {
        assertTrue(run(new Document("distinct", "missing_coll").append("key", "a")).getList("values", Object.class).isEmpty());
    }

    @Test
    void getParameterFeatureCompatibilityVersion() {
        Document reply = adminCommand(new Document("getParameter", 1).append("featureCompatibilityVersion", 1));
        assertEquals("7.0", reply.get("featureCompatibilityVersion", Document.class).getString("version"));
    }

    @Test
    void getParameterStarListsParameters() {
        Document reply = adminCommand(new Document("getParameter", "*"));
        assertTrue(reply.containsKey("featureCompatibilityVersion"));
        assertEquals(1.0, ok(reply));
    }

    @Test
    void hostInfoDescribesMachine() {
        Document reply = adminCommand(new Document("hostInfo", 1));
        Document system = reply.get("system", Document.class);
        assertTrue(((Number) system.get("numCores")).intValue() > 0);
        assertInstanceOf(Date.class, system.get("currentTime"));
        assertInstanceOf(String.class, reply.get("os", Document.class).get("type"));
    }

    @Test
    void getCmdLineOptsHasArgvAndParsed() {
        Document reply = adminCommand(new Document("getCmdLineOpts", 1));
        assertFalse(reply.getList("argv", String.class).isEmpty());
        assertInstanceOf(Document.class, reply.get("parsed"));
    }

    @Test
    void connectionStatusShowsAuthInfo() {
        Document auth = adminCommand(new Document("connectionStatus", 1)).get("authInfo", Document.class);
        assertInstanceOf(List.class, auth.get("authenticatedUsers"));
        assertInstanceOf(List.class, auth.get("authenticatedUserRoles"));
    }

    @Test
    void endSessionsAcknowledges() {
        Document reply = adminCommand(new Document("endSessions", List.of(new Document("id", new BsonBinary(UUID.randomUUID())))));
        assertEquals(1.0, ok(reply));
    }

    @Test
    void listCommandsIncludesCoreCommands() {
        Document commands = adminCommand(new Document("listCommands", 1)).get("commands", Document.class);
        for (String name : List.of("find", "insert", "update", "delete", "aggregate", "getMore", "hello", "ping")) {
            assertTrue(commands.containsKey(name), name);
        }
    }

    @Test
    void dbStatsCountsCollectionsAndObjects() {
        coll.insertMany(List.of(new Document("a", 1), new Document("a", 2)));
        db.createCollection("second");
        Document stats = run(new Document("dbStats", 1));
        assertEquals(db.getName(), stats.getString("db"));
        assertEquals(2, ((Number) stats.get("collections")).intValue());
        assertEquals(2, ((Number) stats.get("objects")).intValue());
    }

    @Test
    void whatsmyuriReportsClientAddress() {
        String you = adminCommand(new Document("whatsmyuri", 1)).getString("you");
        assertTrue(you.matches(".+:\\d+"), you);
    }

    @Test
    void getLogStartupWarnings() {
        Document reply = adminCommand(new Document("getLog", "startupWarnings"));
        assertInstanceOf(List.class, reply.get("log"));
        assertInstanceOf(Number.class, reply.get("totalLinesWritten"));
    }

    @Test
    void validateReportsValidCollection() {
        insertNumbered(3);
        Document reply = run(new Document("validate", coll.getNamespace().getCollectionName()));
        assertEquals(true, reply.getBoolean("valid"));
        assertEquals(coll.getNamespace().getFullName(), reply.getString("ns"));
    }
}
