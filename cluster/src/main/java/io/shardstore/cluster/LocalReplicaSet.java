package io.shardstore.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.NodeOptions;
import io.shardstore.node.ShardNode;
import io.shardstore.node.replication.PeerClient;

/**
 * A replica set of shard nodes in this JVM, on free loopback ports, named {@code localhost:PORT}. Started
 * uninitiated; {@link #initiate} sends replSetInitiate to the first member. For tests and embedding.
 */
public final class LocalReplicaSet implements AutoCloseable {
    private final String name;
    private final List<ShardNode> members;
    private final List<NodeOptions> options;
    private final boolean[] stopped;

    private LocalReplicaSet(String name, List<ShardNode> members, List<NodeOptions> options) {
        this.name = name;
        this.members = members;
        this.options = options;
        this.stopped = new boolean[members.size()];
    }

    public static LocalReplicaSet start(String name, int count) throws Exception {
        List<NodeOptions> options = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            options.add(NodeOptions.inMemory(0).withReplSet(name));
        }
        return start(name, options);
    }

    /** A set whose members keep their data in {@code root}/m0, m1...: a member can be {@link #restart}ed. */
    public static LocalReplicaSet startDurable(String name, int count, java.nio.file.Path root) throws Exception {
        List<NodeOptions> options = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            options.add(NodeOptions.inMemory(0).withReplSet(name).withDbPath(root.resolve("m" + i)));
        }
        return start(name, options);
    }

    /** A set of members started with these options (each on a free port when its port is 0). */
    public static LocalReplicaSet start(String name, List<NodeOptions> options) throws Exception {
        List<ShardNode> members = new ArrayList<>();
        List<NodeOptions> bound = new ArrayList<>();
        try {
            for (NodeOptions o : options) {
                ShardNode node = ShardNode.start(o);
                members.add(node);
                bound.add(new NodeOptions(o.bindIp(), node.port(), o.dbPath(), o.logPath(), o.replSet(),
                    o.journalCommitIntervalMillis(), o.argv(), o.oplogSizeMB()));
            }
        } catch (Exception e) {
            members.forEach(ShardNode::close);
            throw e;
        }
        return new LocalReplicaSet(name, members, bound);
    }

    /** Starts a stopped member again with its options, on its port (and its dbpath, if it has one). */
    public void restart(int i) throws Exception {
        stop(i);
        members.set(i, ShardNode.start(options.get(i)));
        stopped[i] = false;
    }

    public String name() {
        return name;
    }

    public int size() {
        return members.size();
    }

    public ShardNode member(int i) {
        return members.get(i);
    }

    public String host(int i) {
        return "localhost:" + members.get(i).port();
    }

    /** A driver connection string for the whole set. */
    public String uri() {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            hosts.add(host(i));
        }
        return "mongodb://" + String.join(",", hosts) + "/?replicaSet=" + name;
    }

    /** A config of every member with default member options and the given timings. */
    public Document config(long heartbeatIntervalMillis, long electionTimeoutMillis) {
        List<Document> list = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            list.add(new Document("_id", i).append("host", host(i)));
        }
        return new Document("_id", name).append("version", 1).append("members", list).append("settings",
            new Document("heartbeatIntervalMillis", heartbeatIntervalMillis).append("electionTimeoutMillis", electionTimeoutMillis));
    }

    /** Sends replSetInitiate with {@code config} to the first member; returns its reply. */
    public Document initiate(Document config) throws IOException {
        return command(0, "admin", new Document("replSetInitiate", config));
    }

    /** Runs a command on one member over a plain connection (no driver, no server selection). */
    public Document command(int i, String db, Document command) throws IOException {
        try (PeerClient client = new PeerClient(host(i), 10_000)) {
            return client.run(db, command);
        }
    }

    /** The index of the running member that says it is primary, waiting up to {@code timeout}; -1 if none. */
    public int awaitPrimary(Duration timeout) {
        return awaitPrimary(timeout, -1);
    }

    /** As {@link #awaitPrimary(Duration)}, ignoring member {@code notThis} (the old primary). */
    public int awaitPrimary(Duration timeout, int notThis) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            for (int i = 0; i < members.size(); i++) {
                if (i == notThis || stopped[i]) {
                    continue;
                }
                try {
                    Document hello = command(i, "admin", new Document("hello", 1));
                    if (Boolean.TRUE.equals(hello.get("isWritablePrimary"))) {
                        return i;
                    }
                } catch (IOException e) {
                    // not up: try the next one
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        } while (System.nanoTime() < deadline);
        return -1;
    }

    /** Stops one member (as a crash would, for the others: its connections close). */
    public void stop(int i) {
        if (!stopped[i]) {
            stopped[i] = true;
            members.get(i).close();
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < members.size(); i++) {
            stop(i);
        }
    }
}
