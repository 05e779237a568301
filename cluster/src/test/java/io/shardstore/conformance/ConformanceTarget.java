package io.shardstore.conformance;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.node.NodeOptions;
import io.shardstore.node.ShardNode;
import io.shardstore.node.storage.StartupException;

/**
 * The server the conformance suite talks to. With {@code -Dconformance.uri=mongodb://host:port} it is that
 * server (a router, a real mongod); otherwise an in-memory shard node started once for the whole JVM.
 */
public final class ConformanceTarget {
    private static MongoClient client;
    private static String uri;

    private ConformanceTarget() {
    }

    public static synchronized MongoClient client() {
        if (client == null) {
            uri = System.getProperty("conformance.uri", "");
            if (uri.isBlank()) {
                try {
                    ShardNode node = ShardNode.start(NodeOptions.inMemory(0));
                    Runtime.getRuntime().addShutdownHook(new Thread(node::close));
                    uri = "mongodb://127.0.0.1:" + node.port() + "/?directConnection=true";
                } catch (StartupException e) {
                    throw new IllegalStateException("cannot start a shard node for the conformance suite: " + e.getMessage(), e);
                }
            }
            client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .applicationName("conformance")
                .build());
        }
        return client;
    }

    public static synchronized String uri() {
        client();
        return uri;
    }
}
