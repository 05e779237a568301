package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoQueryException;
import com.mongodb.ReadPreference;
import com.mongodb.Tag;
import com.mongodb.TagSet;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.shardstore.cluster.LocalReplicaSet;
import io.shardstore.config.ConfigServer;
import io.shardstore.node.NodeOptions;
import io.shardstore.router.Router;
import io.shardstore.router.RouterOptions;

/**
 * A shard that is a replica set, reached through the router: each read preference (mode, tag sets) lands on
 * the member kinds it names, as each member's own per-collection counters ({@code top}) show; the hidden member
 * never serves a client read; a member delayed by 5 s has a write no sooner than 5 s after it was sent; and
 * after the primary stops, writes through the router go to the new primary.
 *
 * Members: 0-2 electable (tags dc: east / west / north), 3 hidden (tag use: reporting), 4 delayed 5 s (tag use:
 * delayed, priority 0). The shard is added with members 0-3 as seeds, so the router knows the hidden member's
 * address and must still never pick it.
 */
class RouterReplicaSetTest {
    private static final String NS = "rp.reads";
    private static final String[] DC = {"east", "west", "north"};
    private static final int HIDDEN = 3;
    private static final int DELAYED = 4;
    private static final int READS = 30;

    static LocalReplicaSet set;
    static ConfigServer config;
    static Router router;
    static MongoClient client;
    static MongoCollection<Document> coll;
    static int primary;

    @BeforeAll
    static void start() throws Exception {
        set = LocalReplicaSet.start("rsr", 5);
        de.bwaldvogel.mongo.bson.Document cfg = set.config(300, 3000);
        List<?> members = (List<?>) cfg.get("members");
        for (int i = 0; i < 3; i++) {
            member(members, i).append("tags", new de.bwaldvogel.mongo.bson.Document("dc", DC[i]));
        }
        member(members, HIDDEN).append("priority", 0).append("hidden", true)
            .append("tags", new de.bwaldvogel.mongo.bson.Document("use", "reporting"));
        member(members, DELAYED).append("priority", 0).append("secondaryDelaySecs", 5)
            .append("tags", new de.bwaldvogel.mongo.bson.Document("use", "delayed"));
        assertEquals(1.0, ((Number) set.initiate(cfg).get("ok")).doubleValue());
        primary = set.awaitPrimary(Duration.ofSeconds(20));
        assertTrue(primary >= 0 && primary < 3, "an electable member is primary: " + primary);

        config = ConfigServer.start(NodeOptions.inMemory(0), 600_000);
        router = Router.start(RouterOptions.of("127.0.0.1:" + config.port(), 0));
        client = MongoClients.create("mongodb://127.0.0.1:" + router.port() + "/?serverSelectionTimeoutMS=20000");
        String seeds = "rsr/" + String.join(",", set.host(0), set.host(1), set.host(2), set.host(HIDDEN));
        client.getDatabase("admin").runCommand(new Document("addShard", seeds).append("name", "rsr"));
        coll = client.getDatabase("rp").getCollection("reads");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            docs.add(new Document("_id", i));
        }
        coll.withWriteConcern(WriteConcern.MAJORITY).insertMany(docs);
        // Every data member (the delayed one 5 s later) has the documents before the reads start.
        for (int i = 0; i < set.size(); i++) {
            int member = i;
            Poll.until(Duration.ofSeconds(20), "member " + i + " has the documents", () -> direct(member, 20));
        }
    }

    private static de.bwaldvogel.mongo.bson.Document member(List<?> members, int i) {
        return (de.bwaldvogel.mongo.bson.Document) members.get(i);
    }

    private static boolean direct(int member, long expected) {
        try (MongoClient c = MongoClients.create("mongodb://" + set.host(member) + "/?directConnection=true&readPreference=secondaryPreferred")) {
            return c.getDatabase("rp").getCollection("reads").countDocuments() == expected;
        }
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (router != null) {
            router.close();
        }
        if (config != null) {
            config.close();
        }
        if (set != null) {
            set.close();
        }
    }

    /** find and getMore counts of rp.reads on each member, read from the member itself. */
    private static long[] served() throws IOException {
        long[] counts = new long[set.size()];
        for (int i = 0; i < counts.length; i++) {
            de.bwaldvogel.mongo.bson.Document top = set.command(i, "admin", new de.bwaldvogel.mongo.bson.Document("top", 1));
            Object entry = ((de.bwaldvogel.mongo.bson.Document) top.get("totals")).get(NS);
            if (entry instanceof de.bwaldvogel.mongo.bson.Document ns) {
                counts[i] = ((Number) ((de.bwaldvogel.mongo.bson.Document) ns.get("queries")).get("count")).longValue();
            }
        }
        return counts;
    }

    /** Runs {@link #READS} finds with {@code preference}; returns the members that served them. */
    private static Set<Integer> readWith(ReadPreference preference) throws IOException {
        long[] before = served();
        MongoCollection<Document> c = coll.withReadPreference(preference);
        for (int i = 0; i < READS; i++) {
            assertEquals(i % 20, c.find(new Document("_id", i % 20)).first().getInteger("_id"));
        }
        long[] after = served();
        Set<Integer> members = new TreeSet<>();
        long total = 0;
        for (int i = 0; i < after.length; i++) {
            long d = after[i] - before[i];
            total += d;
            if (d > 0) {
                members.add(i);
            }
        }
        assertEquals(READS, total, "each read served exactly once, by members " + members);
        assertTrue(!members.contains(HIDDEN), "the hidden member never serves client reads: " + members);
        return members;
    }

    private static int aSecondary() {
        return primary == 0 ? 1 : 0;
    }

    @Test
    void primaryModesReadFromThePrimary() throws IOException {
        assertEquals(Set.of(primary), readWith(ReadPreference.primary()));
        assertEquals(Set.of(primary), readWith(ReadPreference.primaryPreferred()));
    }

    @Test
    void secondaryModesReadFromVisibleSecondariesOnly() throws IOException {
        Set<Integer> secondaries = new TreeSet<>(List.of(0, 1, 2, DELAYED));
        secondaries.remove(primary);
        for (ReadPreference p : List.of(ReadPreference.secondary(), ReadPreference.secondaryPreferred())) {
            Set<Integer> used = readWith(p);
            // Which of them: a random one within 15 ms of the fastest (on a loaded machine often the fastest alone).
            assertTrue(secondaries.containsAll(used), p + " used " + used + ", allowed " + secondaries);
        }
        readWith(ReadPreference.nearest()); // any visible member: readWith checks the hidden one served none
    }

    @Test
    void tagSetsPickTheTaggedMember() throws IOException {
        int s = aSecondary();
        assertEquals(Set.of(s), readWith(ReadPreference.secondary(new TagSet(new Tag("dc", DC[s])))));
        assertEquals(Set.of(primary), readWith(ReadPreference.nearest(new TagSet(new Tag("dc", DC[primary])))));
        // The first tag set that matches a member wins: "nowhere" matches none, so the second one is used.
        assertEquals(Set.of(s), readWith(ReadPreference.secondaryPreferred(List.of(new TagSet(new Tag("dc", "nowhere")),
            new TagSet(new Tag("dc", DC[s]))))));
        assertEquals(Set.of(DELAYED), readWith(ReadPreference.secondary(new TagSet(new Tag("use", "delayed")))));
        // A secondary read whose tags match no member falls back to the primary with secondaryPreferred.
        assertEquals(Set.of(primary), readWith(ReadPreference.secondaryPreferred(new TagSet(new Tag("dc", "nowhere")))));
    }

    @Test
    void hiddenMemberIsNeverSelectedEvenByItsTags() throws IOException {
        long[] before = served();
        MongoQueryException e = assertThrows(MongoQueryException.class, () -> coll
            .withReadPreference(ReadPreference.secondary(new TagSet(new Tag("use", "reporting"))))
            .find().maxTime(500, TimeUnit.MILLISECONDS).first());
        assertEquals(133, e.getErrorCode(), e.getMessage()); // FailedToSatisfyReadPreference
        assertEquals(before[HIDDEN], served()[HIDDEN]);
    }

    @Test
    void badReadPreferencesGetMongoDbErrors() {
        MongoCommandException stale = assertThrows(MongoCommandException.class, () -> client.getDatabase("rp").runCommand(
            new Document("find", "reads").append("$readPreference", new Document("mode", "secondary").append("maxStalenessSeconds", 30))));
        assertEquals(160, stale.getErrorCode(), stale.getMessage()); // MaxStalenessOutOfRange
        MongoCommandException mode = assertThrows(MongoCommandException.class, () -> client.getDatabase("rp").runCommand(
            new Document("find", "reads").append("$readPreference", new Document("mode", "sideways"))));
        assertEquals(9, mode.getErrorCode(), mode.getMessage()); // FailedToParse
    }

    @Test
    void defaultWriteConcernThroughTheRouter() {
        // "majority" is also the implicit default, so the other tests see no difference.
        Document set = client.getDatabase("admin").runCommand(new Document("setDefaultRWConcern", 1)
            .append("defaultWriteConcern", new Document("w", "majority")));
        assertEquals("majority", set.get("defaultWriteConcern", Document.class).getString("w"));
        Document got = client.getDatabase("admin").runCommand(new Document("getDefaultRWConcern", 1));
        assertEquals("global", got.getString("defaultWriteConcernSource"), got.toJson());
    }

    @Test
    void maxStalenessKeepsReadsOnFreshMembers() throws IOException {
        // 5 s behind is well within 90 s: the delayed member stays eligible.
        assertEquals(Set.of(DELAYED), readWith(ReadPreference.secondary(new TagSet(new Tag("use", "delayed")), 90, TimeUnit.SECONDS)));
    }

    @Test
    void delayedMemberHasAWriteNoSoonerThanFiveSeconds() {
        MongoCollection<Document> delayed = coll.withReadPreference(ReadPreference.secondary(new TagSet(new Tag("use", "delayed"))));
        // The wall clock, as the delay is defined on it (an entry's wall time + secondaryDelaySecs): the monotonic clock
        // can drift from it by a few ms over 5 s on a busy machine (a fresh-clone CI run saw 4991 ms).
        long sent = System.currentTimeMillis();
        coll.insertOne(new Document("_id", "late"));
        Poll.until(Duration.ofSeconds(30), "the write on the delayed member", () -> delayed.find(new Document("_id", "late")).first() != null);
        long millis = System.currentTimeMillis() - sent;
        System.out.println("delayed member (secondaryDelaySecs 5) had the write after " + millis + " ms");
        assertTrue(millis >= 5_000, "visible on the delayed member after " + millis + " ms");
        assertTrue(millis < 15_000, "but it does arrive: " + millis + " ms");
    }

    /** pymongo 3.11 through the router with readPreference and readPreferenceTags in its connection string. */
    @Test
    void pymongoReadPreferenceTagsThroughTheRouter() throws Exception {
        boolean present = new java.io.File("/usr/bin/python3").canExecute() && new ProcessBuilder("/usr/bin/python3", "-c", "import pymongo")
            .redirectErrorStream(true).redirectOutput(new java.io.File("/dev/null")).start().waitFor() == 0;
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(present, "python3-pymongo is not installed; .ci/run installs it");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(present, "python3-pymongo is not installed");
        int s = aSecondary();
        String uri = "mongodb://127.0.0.1:" + router.port() + "/?readPreference=secondary&readPreferenceTags=dc:" + DC[s];
        String script = "import sys, pymongo\n"
            + "c = pymongo.MongoClient(sys.argv[1])\n"
            + "coll = c.rp.reads\n"
            + "n = sum(1 for i in range(" + READS + ") if coll.find_one({'_id': i % 20}) is not None)\n"
            + "print('found', n)\n";
        long[] before = served();
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, uri).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "pymongo finished");
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("found " + READS), out);
        long[] after = served();
        for (int i = 0; i < after.length; i++) {
            assertEquals(i == s ? READS : 0, after[i] - before[i], "reads served by member " + i + " (tagged dc:" + DC[s] + " is " + s + ")");
        }
    }

    @Test
    void cursorsStayOnTheMemberThatOpenedThem() throws IOException {
        int s = aSecondary();
        MongoCollection<Document> c = coll.withReadPreference(ReadPreference.secondary(new TagSet(new Tag("dc", DC[s]))));
        List<Document> all = c.find().batchSize(3).into(new ArrayList<>());
        assertTrue(all.size() >= 20, "all documents through getMore on the secondary: " + all.size());
        de.bwaldvogel.mongo.bson.Document top = set.command(s, "admin", new de.bwaldvogel.mongo.bson.Document("top", 1));
        Object ns = ((de.bwaldvogel.mongo.bson.Document) top.get("totals")).get(NS);
        long getmores = ((Number) ((de.bwaldvogel.mongo.bson.Document) ((de.bwaldvogel.mongo.bson.Document) ns).get("getmore")).get("count")).longValue();
        assertTrue(getmores >= 6, "the getMores went to the member with the cursor: " + getmores);
    }
}
