package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import io.shardstore.cluster.LocalReplicaSet;

/** What each member of a replica set holds, read on the member itself, to check that the members agree. */
final class SetContents {
    private static final Duration CATCH_UP = Duration.ofSeconds(15);

    private SetContents() {
    }

    /** Every member of the set ends up with the primary's documents. */
    static void assertSetAgrees(LocalReplicaSet set) {
        int primary = set.awaitPrimary(CATCH_UP);
        assertTrue(primary >= 0);
        Poll.until(CATCH_UP, set.name() + ": every member holds the primary's documents", () -> {
            String expected = contents(set, primary);
            for (int m = 0; m < set.size(); m++) {
                if (!contents(set, m).equals(expected)) {
                    return false;
                }
            }
            return true;
        });
    }

    /** A member's user databases, collections and documents (sorted), as text to compare. */
    static String contents(LocalReplicaSet set, int member) {
        try {
            de.bwaldvogel.mongo.bson.Document anyMember = new de.bwaldvogel.mongo.bson.Document("mode", "secondaryPreferred");
            TreeMap<String, List<String>> all = new TreeMap<>();
            de.bwaldvogel.mongo.bson.Document dbs = set.command(member, "admin", new de.bwaldvogel.mongo.bson.Document("listDatabases", 1));
            for (Object d : (List<?>) dbs.get("databases")) {
                String db = (String) ((de.bwaldvogel.mongo.bson.Document) d).get("name");
                if (db.equals("local") || db.equals("admin") || db.equals("config")) {
                    continue;
                }
                all.put(db, List.of());
                de.bwaldvogel.mongo.bson.Document colls = set.command(member, db,
                    new de.bwaldvogel.mongo.bson.Document("listCollections", 1).append("$readPreference", anyMember));
                for (Object c : (List<?>) ((de.bwaldvogel.mongo.bson.Document) colls.get("cursor")).get("firstBatch")) {
                    String coll = (String) ((de.bwaldvogel.mongo.bson.Document) c).get("name");
                    de.bwaldvogel.mongo.bson.Document found = set.command(member, db, new de.bwaldvogel.mongo.bson.Document("find", coll)
                        .append("batchSize", 100_000).append("$readPreference", anyMember));
                    List<String> docs = new ArrayList<>();
                    for (Object doc : (List<?>) ((de.bwaldvogel.mongo.bson.Document) found.get("cursor")).get("firstBatch")) {
                        docs.add(doc.toString());
                    }
                    docs.sort(null);
                    all.put(db + "." + coll, docs);
                }
            }
            return all.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
