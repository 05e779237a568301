package io.shardstore.bench.run;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;

/**
 * Where client threads send: a name ("direct", "relay", "router", "shard2"...) and a driver client whose pool
 * fits the largest client count. {@code process} names the server process whose CPU is this path's own cost
 * (the relay or the router; null for direct). {@code fanOut}, when not empty, makes it a client-side scatter-gather.
 */
public record Target(String name, MongoClient client, String process, java.util.List<MongoClient> fanOut) {

    public Target(String name, MongoClient client, String process) {
        this(name, client, process, java.util.List.of());
    }

    /**
     * A client-side scatter-gather: the query goes to every one of {@code shards} directly and at once, the client
     * merges. The router's scatter-gather minus this is the router's own cost, on any number of cores.
     */
    public static Target fanOut(String name, java.util.List<MongoClient> shards) {
        return new Target(name, shards.get(0), null, java.util.List.copyOf(shards));
    }

    public MongoCollection<Document> collection(String db, String coll) {
        return client.getDatabase(db).getCollection(coll);
    }
}
