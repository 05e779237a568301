package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;

import io.shardstore.cluster.LocalCluster;

/**
 * Issue 10, item 4: requests that hung for the router's 30 s shard timeout on replica-set shards (HostUnreachable
 * "no reply in 30000 ms") while single-node shards answered: killCursors, a find sorted on array values, an upsert
 * with a conditional filter on a sharded collection. Each runs through the router on single-node and on 3-member
 * replica-set shards with a 5 s client timeout (a hang fails in seconds) and must answer the same; afterwards every
 * member of each set holds what its primary holds (no entry skipped on a secondary).
 */
class RouterReplicaSetRequestsTest {
    @ParameterizedTest(name = "members: {0}")
    @ValueSource(ints = {1, 3})
    void answeredPromptlyOnSingleNodesAndReplicaSets(int members) throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().shards(2).members(members).start();
             MongoClient router = MongoClients.create(MongoClientSettings.builder()
                 .applyConnectionString(new ConnectionString(cluster.uri()))
                 .applyToSocketSettings(s -> s.readTimeout(5, TimeUnit.SECONDS)).build())) {
            MongoDatabase db = router.getDatabase("app");
            MongoCollection<Document> items = io.shardstore.testkit.TwoShardRange.shard(router, "app", "items");
            List<Document> docs = new ArrayList<>();
            for (int k = 0; k < 100; k++) {
                docs.add(new Document("k", k).append("x", k).append("a", List.of(k % 7, 100 - k)).append("e", k % 10 == 0 ? List.of() : List.of(k)));
            }
            items.insertMany(docs);

            // killCursors on a cursor over both shards (merged by the router) and on one targeted to a single shard.
            for (Document filter : List.of(new Document(), new Document("k", new Document("$lt", 50)))) {
                Document found = db.runCommand(new Document("find", "items").append("filter", filter).append("batchSize", 2));
                long id = found.get("cursor", Document.class).getLong("id");
                assertNotEquals(0L, id);
                Document killed = db.runCommand(new Document("killCursors", "items").append("cursors", List.of(id)));
                assertEquals(List.of(id), killed.getList("cursorsKilled", Long.class), killed.toJson());
                Document unknown = db.runCommand(new Document("killCursors", "items").append("cursors", List.of(id)));
                assertEquals(List.of(id), unknown.getList("cursorsNotFound", Long.class), unknown.toJson());
            }

            // A find sorted on array values (each array sorts by its smallest element ascending, largest descending).
            List<Document> ascending = items.find().sort(Sorts.ascending("a", "k")).into(new ArrayList<>());
            assertEquals(100, ascending.size());
            assertEquals(0, ascending.get(0).getInteger("k"));
            List<Document> descending = items.find().sort(Sorts.descending("a")).limit(3).into(new ArrayList<>());
            assertEquals(100, descending.get(0).getList("a", Integer.class).get(1));
            assertEquals(100, items.find().sort(Sorts.ascending("e")).batchSize(7).into(new ArrayList<>()).size());

            // Upserts with a conditional filter on the sharded collection: a match, then no match (an insert).
            UpdateResult matched = items.updateOne(Filters.and(Filters.eq("k", 10), Filters.gt("x", 5)), Updates.set("y", 1),
                new UpdateOptions().upsert(true));
            assertEquals(1, matched.getMatchedCount());
            UpdateResult inserted = items.updateOne(Filters.and(Filters.eq("k", 1), Filters.gt("x", 5)), Updates.set("y", 2),
                new UpdateOptions().upsert(true));
            assertNotNull(inserted.getUpsertedId());
            UpdateResult far = items.updateOne(Filters.and(Filters.eq("k", 200), Filters.gt("x", 5)), Updates.set("y", 3),
                new UpdateOptions().upsert(true));
            assertNotNull(far.getUpsertedId());
            Document after = items.findOneAndUpdate(Filters.and(Filters.eq("k", 300), Filters.lt("x", 0)), Updates.set("y", 4),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
            assertEquals(300, after.getInteger("k"));
            assertEquals(103, items.countDocuments());

            for (int s = 0; s < 2 && members > 1; s++) {
                io.shardstore.testkit.ReplicaSetConsistency.assertMembersAgree(cluster.shardSet(s));
            }
        }
    }
}
