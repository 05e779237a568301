package io.shardstore.testkit;

import io.shardstore.cluster.LocalCluster;

/**
 * The cluster shape the sharding and conformance suites run on, chosen by {@code -Dcluster.members} (1 by default):
 * single-node shards and config server, or (3) every shard and the config server a 3-member replica set, as
 * {@code bin/cluster} starts them. The Maven build runs those suites once per shape (the topology matrix,
 * cluster/pom.xml), so what passes on single nodes must pass on what users run; {@code -Dcluster.plain=true} makes the
 * shards plain (see {@link #plainShards}).
 */
public final class Topology {

    private Topology() {
    }

    /** Members per replica set in this run (1: single nodes). */
    public static int members() {
        return Integer.getInteger("cluster.members", 1);
    }

    public static boolean replicaSets() {
        return members() > 1;
    }

    /**
     * Whether the shards run as plain mongods ({@code -Dcluster.plain=true}: our nodes with --plain, which take no
     * shard versions), as real mongod replica sets behind the router would (issue 11).
     */
    public static boolean plainShards() {
        return Boolean.getBoolean("cluster.plain");
    }

    /** A cluster of {@code shards} shards in this run's shape. */
    public static LocalCluster start(int shards) throws Exception {
        return LocalCluster.builder().shards(shards).members(members()).configMembers(members()).plainShards(plainShards()).start();
    }

    /**
     * Checks that every member of every replica set holds the same data once caught up (no-op on single nodes), then
     * stops the cluster: what MongoDB's test fixtures do after each test, so a write applied on a primary and lost,
     * skipped or half-applied on a secondary fails the test class that made it.
     */
    public static void checkAndClose(LocalCluster cluster) {
        if (cluster == null) {
            return;
        }
        try {
            ReplicaSetConsistency.assertMembersAgree(cluster);
        } finally {
            cluster.close();
        }
    }
}
