package io.shardstore.conformance;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

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

    @BeforeEach
    void connect(TestInfo info) {
        client = ConformanceTarget.client();
        db = client.getDatabase("conf_" + getClass().getSimpleName().toLowerCase());
        db.drop();
        String method = info.getTestMethod().map(m -> m.getName()).orElse("c");
        coll = db.getCollection(method.length() > 60 ? method.substring(0, 60) : method);
    }
}
