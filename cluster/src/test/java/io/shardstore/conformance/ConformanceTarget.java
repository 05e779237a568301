package io.shardstore.conformance;

import java.util.List;

import org.bson.Document;
import org.bson.types.ObjectId;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.cluster.LocalCluster;
import io.shardstore.node.NodeOptions;
import io.shardstore.node.ShardNode;
import io.shardstore.node.storage.StartupException;

/**
 * The server the conformance suite talks to, chosen by {@code -Dconformance.target}:
 * <ul>
 * <li>{@code node} (default): an in-memory shard node started once for the JVM;</li>
 * <li>{@code cluster-hashed} / {@code cluster-range}: a 3-shard in-JVM cluster (single nodes, or replica sets with
 * {@code -Dcluster.members=3}), reached through the router,
 * where every test collection is sharded on {@code _id} (hashed, or by range pre-split over the shards); with
 * {@code -Dcluster.plain=true} the shards are plain (they take no shard versions, as real mongods);</li>
 * <li>{@code containers-hashed}: two real {@code mongo:7.0} replica sets in containers as plain shards behind an in-JVM
 * config server and router (MongoContainers; skipped where no Docker engine runs);</li>
 * <li>or {@code -Dconformance.uri=mongodb://host:port}: any server (a real mongod, a router).</li>
 * </ul>
 */
public final class ConformanceTarget {
    private static MongoClient client;
    private static String uri;
    private static String mode;
    private static LocalCluster cluster;

    private ConformanceTarget() {
    }

    public static synchronized MongoClient client() {
        if (client == null) {
            uri = System.getProperty("conformance.uri", "");
            mode = System.getProperty("conformance.target", "node");
            if (mode.isBlank()) {
                mode = "node";
            }
            if (uri.isBlank()) {
                try {
                    if (mode.startsWith("containers")) {
                        // Two real mongo:7.0 replica sets as plain shards (skipped where no Docker engine runs).
                        io.shardstore.testkit.MongoContainers sets = io.shardstore.testkit.MongoContainers.start(2);
                        cluster = sets.clusterOfThem();
                        LocalCluster started = cluster;
                        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                            started.close();
                            sets.close();
                        }));
                        uri = cluster.uri();
                    } else if (mode.startsWith("cluster")) {
                        cluster = io.shardstore.testkit.Topology.start(3);
                        LocalCluster started = cluster;
                        Runtime.getRuntime().addShutdownHook(new Thread(started::close));
                        uri = cluster.uri();
                        if (io.shardstore.testkit.Topology.plainShards()) {
                            requirePlainShards(uri);
                        }
                    } else {
                        ShardNode node = ShardNode.start(NodeOptions.inMemory(0));
                        Runtime.getRuntime().addShutdownHook(new Thread(node::close));
                        uri = "mongodb://127.0.0.1:" + node.port() + "/?directConnection=true";
                    }
                } catch (StartupException e) {
                    throw new IllegalStateException("cannot start a shard node for the conformance suite: " + e.getMessage(), e);
                } catch (org.opentest4j.TestAbortedException skipped) {
                    throw skipped; // no Docker engine for the containers target: each test is skipped with the reason
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start a cluster for the conformance suite: " + e.getMessage(), e);
                }
            }
            client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .applicationName("conformance")
                .build());
        }
        return client;
    }

    /** The run asked for plain shards: the config server must have recorded every shard as plain, or the run proves nothing. */
    private static void requirePlainShards(String routerUri) {
        try (MongoClient check = MongoClients.create(routerUri)) {
            for (Document shard : check.getDatabase("config").getCollection("shards").find()) {
                if (!Boolean.TRUE.equals(shard.get("plain"))) {
                    throw new IllegalStateException("-Dcluster.plain=true, but config.shards has " + shard.toJson());
                }
            }
        }
    }

    public static synchronized String uri() {
        client();
        return uri;
    }

    /** The in-JVM cluster the suite runs on, or null (a node, or a server named by conformance.uri). */
    static synchronized LocalCluster cluster() {
        return cluster;
    }

    /** Whether test collections are sharded (the suite runs through a router). */
    public static boolean sharded() {
        client();
        return mode.startsWith("cluster") || mode.startsWith("containers");
    }

    /**
     * The indexes a test collection has through the router beyond a mongod's: the hashed shard key's own index, which
     * shardCollection builds and dropIndexes keeps, as mongos does (a range key on {@code _id} uses {@code _id_}).
     */
    public static List<String> shardKeyIndexes() {
        client();
        return mode.endsWith("-hashed") ? List.of("_id_hashed") : List.of();
    }

    /** Shards {@code db.coll} on {@code _id} as the target mode says (hashed, or ranges spread over three shards). */
    public static void shard(String db, String coll) {
        MongoClient c = client();
        String ns = db + "." + coll;
        if (mode.endsWith("-hashed")) {
            c.getDatabase("admin").runCommand(new Document("shardCollection", ns).append("key", new Document("_id", "hashed")));
            return;
        }
        c.getDatabase("admin").runCommand(new Document("shardCollection", ns).append("key", new Document("_id", 1)));
        // Numbers below 3 on one shard, 3..9 on the next, larger numbers, strings and ObjectIds further on.
        List<Object> splits = List.of(3, 10, "m", new ObjectId("000000000000000000000000"));
        for (Object at : splits) {
            c.getDatabase("admin").runCommand(new Document("split", ns).append("middle", new Document("_id", at)));
        }
        String[] to = {"shard1", "shard2", "shard0", "shard1"};
        for (int i = 0; i < splits.size(); i++) {
            c.getDatabase("admin").runCommand(new Document("moveChunk", ns).append("find", new Document("_id", splits.get(i)))
                .append("to", to[i]));
        }
    }
}
