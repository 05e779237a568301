package io.shardstore.sharding;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.cluster.LocalCluster;

/**
 * A cluster of 2 plain shards (3-member sets of our node in --plain mode, standing in for mongod replica sets
 * without --shardsvr) shared by a test class, with the router's client and a client of each shard's set.
 */
abstract class PlainClusterTestBase {
    static LocalCluster cluster;
    static MongoClient router;
    static final List<MongoClient> shards = new ArrayList<>();

    @BeforeAll
    static void startPlainCluster() throws Exception {
        cluster = LocalCluster.builder().shards(2).members(3).configMembers(1).plainShards(true).start();
        router = MongoClients.create(cluster.uri());
        for (int i = 0; i < 2; i++) {
            shards.add(MongoClients.create(cluster.shardUri(i)));
        }
    }

    @AfterAll
    static void stopPlainCluster() {
        shards.forEach(MongoClient::close);
        shards.clear();
        if (router != null) {
            router.close();
        }
        io.shardstore.testkit.Topology.checkAndClose(cluster);
    }
}
