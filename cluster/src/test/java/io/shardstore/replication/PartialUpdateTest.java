package io.shardstore.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoWriteException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.shardstore.cluster.LocalReplicaSet;

/**
 * A multi-update that fails part way ($push on a field that is not an array in the third document) leaves the
 * documents it changed before changed, as mongod does; those changes must reach the oplog, so every member of the
 * set holds them (the engine used to report a statement's changes only when it succeeded: the primary kept them, the
 * secondaries never had them).
 */
class PartialUpdateTest {

    @Test
    void theDocumentsAFailedMultiUpdateChangedReachTheSecondaries() throws Exception {
        try (LocalReplicaSet set = LocalReplicaSet.start("rpu", 3)) {
            set.initiateAndAwaitPrimary(set.config(250, 2000), Duration.ofSeconds(20));
            try (MongoClient client = MongoClients.create(set.uri())) {
                MongoCollection<Document> coll = client.getDatabase("app").getCollection("c").withWriteConcern(WriteConcern.MAJORITY);
                List<Document> docs = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    docs.add(new Document("_id", i).append("a", i == 2 ? (Object) 2 : new ArrayList<>(List.of(i))));
                }
                coll.insertMany(docs);
                MongoWriteException failed = assertThrows(MongoWriteException.class, () -> coll.updateMany(Filters.exists("a"), Updates.push("a", 99)));
                assertEquals(2, failed.getError().getCode(), failed.getMessage());
                assertEquals(List.of(0, 99), coll.find(Filters.eq("_id", 0)).first().getList("a", Integer.class), "changed before the failure");
                coll.insertOne(new Document("_id", "after"));
            }
            io.shardstore.testkit.ReplicaSetConsistency.assertMembersAgree(set);
        }
    }
}
