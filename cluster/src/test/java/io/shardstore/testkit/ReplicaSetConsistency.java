package io.shardstore.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.cluster.LocalCluster;
import io.shardstore.cluster.LocalReplicaSet;

/**
 * Compares the members of each replica set of a cluster by {@code dbHash} (per database, per collection), waiting
 * up to a deadline for secondaries to catch up: identical data on every running member, or the test fails naming
 * the set, the database and the collections that differ.
 */
public final class ReplicaSetConsistency {
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private ReplicaSetConsistency() {
    }

    public static void assertMembersAgree(LocalCluster cluster) {
        List<LocalReplicaSet> sets = new ArrayList<>();
        for (int i = 0; i < cluster.shards().size(); i++) {
            if (cluster.shardSet(i) != null) {
                sets.add(cluster.shardSet(i));
            }
        }
        if (cluster.configSet() != null) {
            sets.add(cluster.configSet());
        }
        for (LocalReplicaSet set : sets) {
            assertMembersAgree(set);
        }
    }

    public static void assertMembersAgree(LocalReplicaSet set) {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        String difference;
        while ((difference = difference(set)) != null) {
            if (System.nanoTime() > deadline) {
                fail("members of replica set " + set.name() + " differ after " + CATCH_UP + ": " + difference);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** What differs between the running members (database -> collection hashes per member), or null if nothing. */
    private static String difference(LocalReplicaSet set) {
        Map<String, Map<String, Object>> byMember = new TreeMap<>();
        for (int i = 0; i < set.size(); i++) {
            try {
                byMember.put(set.host(i), hashes(set, i));
            } catch (IOException | RuntimeException e) {
                // a member a test stopped: nothing to compare
            }
        }
        Map<String, Object> first = null;
        String firstHost = null;
        for (var e : byMember.entrySet()) {
            if (first == null) {
                first = e.getValue();
                firstHost = e.getKey();
            } else if (!first.equals(e.getValue())) {
                return firstHost + " has " + first + " but " + e.getKey() + " has " + e.getValue();
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> hashes(LocalReplicaSet set, int member) throws IOException {
        Document listed = set.command(member, "admin", new Document("listDatabases", 1).append("nameOnly", true));
        TreeSet<String> dbs = new TreeSet<>();
        for (Document db : (List<Document>) listed.get("databases")) {
            dbs.add((String) db.get("name"));
        }
        dbs.remove("local");
        Map<String, Object> out = new TreeMap<>();
        for (String db : dbs) {
            Document hash = set.command(member, db, new Document("dbHash", 1));
            Map<String, Object> collections = new TreeMap<>((Document) hash.get("collections"));
            if (!collections.isEmpty()) {
                out.put(db, collections);
            }
        }
        return out;
    }
}
