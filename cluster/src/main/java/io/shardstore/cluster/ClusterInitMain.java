package io.shardstore.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.sharding.ConnectionStrings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/cluster-init}: brings started processes together as a cluster, for layouts where something else starts
 * them (docker compose): initiates the config set and each shard set (a set already initiated is left as it is) and
 * adds the shards to the config server. Run it once all members listen; it is safe to run again.
 */
@Command(name = "cluster-init", mixinStandardHelpOptions = true,
    description = "Initiates the config server's and the shards' replica sets and adds the shards.")
public final class ClusterInitMain implements Callable<Integer> {

    @Option(names = "--configdb", required = true, description = "the config set, NAME/HOST:PORT,HOST:PORT,...")
    String configDb;

    @Option(names = "--shard", required = true, description = "a shard set, NAME/HOST:PORT,...; repeat for each shard")
    List<String> shards = new ArrayList<>();

    @Option(names = "--timeoutSecs", description = "how long to wait for each set's primary (default: ${DEFAULT-VALUE})")
    long timeoutSecs = 120;

    @Override
    public Integer call() throws Exception {
        Duration timeout = Duration.ofSeconds(timeoutSecs);
        initiate(configDb, timeout);
        for (String shard : shards) {
            initiate(shard, timeout);
        }
        try (MongoClient config = MongoClients.create(ConnectionStrings.of(configDb))) {
            for (String shard : shards) {
                String name = shard.substring(0, shard.indexOf('/'));
                config.getDatabase("admin").runCommand(new Document("addShard", shard).append("name", name));
                System.out.println("cluster-init: shard " + name + " added");
            }
        }
        return 0;
    }

    private static void initiate(String set, Duration timeout) throws java.io.IOException {
        int slash = set.indexOf('/');
        if (slash <= 0) {
            throw new CommandLine.ParameterException(new CommandLine(new ClusterInitMain()), "expected NAME/HOST:PORT,...: " + set);
        }
        String name = set.substring(0, slash);
        List<String> hosts = List.of(set.substring(slash + 1).split(","));
        awaitListening(hosts, System.nanoTime() + timeout.toNanos());
        List<de.bwaldvogel.mongo.bson.Document> members = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            members.add(new de.bwaldvogel.mongo.bson.Document("_id", i).append("host", hosts.get(i)));
        }
        int primary = ReplicaSetBootstrap.initiate(hosts, new de.bwaldvogel.mongo.bson.Document("_id", name).append("version", 1)
            .append("members", members), timeout);
        System.out.println("cluster-init: " + name + " has a primary, " + hosts.get(primary));
    }

    /** Containers start in any order: waits (bounded) until every member accepts connections. */
    private static void awaitListening(List<String> hosts, long deadline) throws java.io.IOException {
        for (String host : hosts) {
            int colon = host.lastIndexOf(':');
            while (true) {
                try (java.net.Socket s = new java.net.Socket()) {
                    s.connect(new java.net.InetSocketAddress(host.substring(0, colon), Integer.parseInt(host.substring(colon + 1))), 1_000);
                    break;
                } catch (java.io.IOException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new java.io.IOException(host + " does not accept connections: " + notYet.getMessage());
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(200));
                }
            }
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClusterInitMain()).execute(args));
    }
}
