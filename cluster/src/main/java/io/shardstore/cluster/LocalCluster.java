package io.shardstore.cluster;

import java.util.ArrayList;
import java.util.List;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.config.ConfigServer;
import io.shardstore.node.NodeOptions;
import io.shardstore.node.ShardNode;
import io.shardstore.router.Router;
import io.shardstore.router.RouterOptions;

/**
 * A whole sharded cluster in this JVM, on free loopback ports: a config server, N shard nodes, a router,
 * with the shards added. For tests and embedding; {@code bin/cluster} starts the same shape as processes.
 */
public final class LocalCluster implements AutoCloseable {
    private final ConfigServer config;
    private final List<ShardNode> shards;
    private final Router router;

    private LocalCluster(ConfigServer config, List<ShardNode> shards, Router router) {
        this.config = config;
        this.shards = shards;
        this.router = router;
    }

    public static LocalCluster start(int shardCount) throws Exception {
        return start(shardCount, 60_000);
    }

    /** @param balancerIntervalMillis time between balancer rounds (long by default so tests see stable placement) */
    public static LocalCluster start(int shardCount, long balancerIntervalMillis) throws Exception {
        ConfigServer config = ConfigServer.start(NodeOptions.inMemory(0), balancerIntervalMillis);
        List<ShardNode> shards = new ArrayList<>();
        for (int i = 0; i < shardCount; i++) {
            shards.add(ShardNode.start(NodeOptions.inMemory(0)));
        }
        Router router = Router.start(RouterOptions.of("127.0.0.1:" + config.port(), 0));
        LocalCluster cluster = new LocalCluster(config, shards, router);
        try (MongoClient client = MongoClients.create(cluster.uri())) {
            for (int i = 0; i < shardCount; i++) {
                client.getDatabase("admin").runCommand(new Document("addShard", "127.0.0.1:" + shards.get(i).port())
                    .append("name", "shard" + i));
            }
        }
        return cluster;
    }

    public String uri() {
        return "mongodb://127.0.0.1:" + router.port();
    }

    public int routerPort() {
        return router.port();
    }

    public int configPort() {
        return config.port();
    }

    public List<ShardNode> shards() {
        return shards;
    }

    /** A direct connection to shard {@code i} (to check what really landed where). */
    public String shardUri(int i) {
        return "mongodb://127.0.0.1:" + shards.get(i).port() + "/?directConnection=true";
    }

    @Override
    public void close() {
        router.close();
        shards.forEach(ShardNode::close);
        config.close();
    }
}
