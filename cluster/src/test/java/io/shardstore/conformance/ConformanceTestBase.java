package io.shardstore.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

/**
 * Base of every conformance test: each test class gets its own database, dropped before each test, and a
 * collection named after the test method, so tests neither see nor disturb each other's data.
 */
public abstract class ConformanceTestBase {
    protected MongoClient client;
    protected MongoDatabase db;
    protected MongoCollection<Document> coll;

    /** On replica-set shards: every member of every set holds the same data after each test class. */
    @org.junit.jupiter.api.AfterAll
    static void membersAgree() {
        if (ConformanceTarget.cluster() != null) {
            io.shardstore.testkit.ReplicaSetConsistency.assertMembersAgree(ConformanceTarget.cluster());
        }
    }

    @BeforeEach
    void connect(TestInfo info) {
        client = ConformanceTarget.client();
        db = client.getDatabase("conf_" + getClass().getSimpleName().toLowerCase());
        db.drop();
        String method = info.getTestMethod().map(m -> m.getName()).orElse("c");
        coll = db.getCollection(method.length() > 60 ? method.substring(0, 60) : method);
        if (ConformanceTarget.sharded()) {
            info.getTestMethod().map(m -> m.getAnnotation(ShardedDifference.class)).ifPresent(d ->
                org.junit.jupiter.api.Assumptions.assumeFalse(true, "sharded collection: " + d.value()));
            ConformanceTarget.shard(db.getName(), coll.getNamespace().getCollectionName());
        }
    }

    /** Runs a command on the test database; the driver throws MongoCommandException when the reply is ok: 0. */
    protected Document run(Document command) {
        return db.runCommand(command);
    }

    /** Runs a command that must fail, and returns the failure. */
    protected MongoCommandException commandError(Document command) {
        return assertThrows(MongoCommandException.class, () -> db.runCommand(command));
    }

    protected MongoDatabase admin() {
        return client.getDatabase("admin");
    }

    /** Inserts {_id: i, n: i} for i in [0, count). */
    protected void insertNumbered(int count) {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            docs.add(new Document("_id", i).append("n", i));
        }
        coll.insertMany(docs);
    }

    /** The _ids of the documents matching the filter, in _id order. */
    protected List<Object> ids(Bson filter) {
        List<Object> out = new ArrayList<>();
        coll.find(filter).sort(new Document("_id", 1)).forEach(d -> out.add(d.get("_id")));
        return out;
    }
}
