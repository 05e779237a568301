package io.shardstore.bench.run;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;

/**
 * Where client threads send: a name ("direct", "relay", "router", "shard2"...) and a driver client whose pool
 * fits the largest client count. {@code process} names the server process whose CPU is this path's own cost
 * (the relay or the router; null for direct).
 */
public record Target(String name, MongoClient client, String process) {

    public MongoCollection<Document> collection(String db, String coll) {
        return client.getDatabase(db).getCollection(coll);
    }
}
