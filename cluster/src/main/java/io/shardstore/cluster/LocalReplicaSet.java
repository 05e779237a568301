package io.shardstore.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.config.ConfigServer;
import io.shardstore.node.NodeOptions;
import io.shardstore.node.ShardNode;
import io.shardstore.node.replication.PeerClient;

/**
 * A replica set of shard nodes (or of config servers) in this JVM, on free loopback ports, named
 * {@code localhost:PORT}. Started uninitiated; {@link #initiate} sends replSetInitiate to the first member,
 * {@link #initiateAndAwaitPrimary} also brings it to a primary. For tests and embedding.
 */
public final class LocalReplicaSet implements AutoCloseable {
    private final String name;
    private final List<ShardNode> members;
    /** What stopping member i closes: the node, or the config server around it. */
    private final List<AutoCloseable> processes;
    /** How each member was started (port bound), so {@link #restart} brings it back the same way. */
    private final List<NodeOptions> options;
    private final MemberStarter starter;
    private final boolean[] stopped;

    private LocalReplicaSet(String name, List<ShardNode> members, List<AutoCloseable> processes, List<NodeOptions> options,
                            MemberStarter starter) {
        this.name = name;
        this.members = members;
        this.processes = processes;
        this.options = options;
        this.starter = starter;
        this.stopped = new boolean[members.size()];
    }

    public static LocalReplicaSet start(String name, int count) throws Exception {
        return start(name, inMemory(name, count), LocalReplicaSet::shardNode);
    }

    /** A set whose members run with {@code security} (--auth, --keyFile). */
    public static LocalReplicaSet start(String name, int count, io.shardstore.security.SecurityOptions security) throws Exception {
        List<NodeOptions> options = new ArrayList<>();
        for (NodeOptions o : inMemory(name, count)) {
            options.add(o.withSecurity(security));
        }
        return start(name, options, LocalReplicaSet::shardNode);
    }

    /** A set whose members keep their data in {@code root}/m0, m1...: a member can be {@link #restart}ed. */
    public static LocalReplicaSet startDurable(String name, int count, java.nio.file.Path root) throws Exception {
        List<NodeOptions> options = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            options.add(NodeOptions.inMemory(0).withReplSet(name).withDbPath(root.resolve("m" + i)));
        }
        return start(name, options);
    }

    /** A set of shard nodes started with these options (each on a free port when its port is 0). */
    public static LocalReplicaSet start(String name, List<NodeOptions> options) throws Exception {
        return start(name, options, LocalReplicaSet::shardNode);
    }

    private static Member shardNode(NodeOptions options) throws Exception {
        ShardNode node = ShardNode.start(options);
        return new Member(node, node);
    }

    private static List<NodeOptions> inMemory(String name, int count) {
        List<NodeOptions> options = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            options.add(NodeOptions.inMemory(0).withReplSet(name));
        }
        return options;
    }

    /** A config replica set: config servers started with {@code --replSet name}. */
    public static LocalReplicaSet startConfigServers(String name, int count, long balancerIntervalMillis) throws Exception {
        return startConfigServers(name, count, balancerIntervalMillis, io.shardstore.security.SecurityOptions.OFF);
    }

    public static LocalReplicaSet startConfigServers(String name, int count, long balancerIntervalMillis,
                                                     io.shardstore.security.SecurityOptions security) throws Exception {
        List<NodeOptions> options = new ArrayList<>();
        for (NodeOptions o : inMemory(name, count)) {
            options.add(o.withSecurity(security));
        }
        return start(name, options, options1 -> {
            ConfigServer server = ConfigServer.start(options1, balancerIntervalMillis);
            return new Member(server.node(), server);
        });
    }

    private record Member(ShardNode node, AutoCloseable process) {
    }

    private interface MemberStarter {
        Member start(NodeOptions options) throws Exception;
    }

    private static LocalReplicaSet start(String name, List<NodeOptions> options, MemberStarter starter) throws Exception {
        List<ShardNode> members = new ArrayList<>();
        List<AutoCloseable> processes = new ArrayList<>();
        List<NodeOptions> bound = new ArrayList<>();
        try {
            for (NodeOptions o : options) {
                Member m = starter.start(o);
                members.add(m.node());
                processes.add(m.process());
                bound.add(o.withPort(m.node().port()));
            }
        } catch (Exception e) {
            for (AutoCloseable p : processes) {
                p.close();
            }
            throw e;
        }
        return new LocalReplicaSet(name, members, processes, bound, starter);
    }

    /** Starts a stopped member again with its options, on its port (and its dbpath, if it has one). */
    public void restart(int i) throws Exception {
        stop(i);
        Member m = starter.start(options.get(i));
        members.set(i, m.node());
        processes.set(i, m.process());
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

    /** Member {@code i} as started: its {@link ShardNode}, or the {@link ConfigServer} of a config set. */
    public AutoCloseable process(int i) {
        return processes.get(i);
    }

    public String host(int i) {
        return "localhost:" + members.get(i).port();
    }

    public List<String> hosts() {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            hosts.add(host(i));
        }
        return hosts;
    }

    /** A driver connection string for the whole set. */
    public String uri() {
        return "mongodb://" + String.join(",", hosts()) + "/?replicaSet=" + name;
    }

    /** The cluster's key the members run with (this process's own clients log in with it), or null. */
    private io.shardstore.security.KeyFile key() {
        return options.get(0).security().keyFile();
    }

    /** The set as addShard and --configdb name it: {@code name/host1,host2,...}. */
    public String seedList() {
        return name + "/" + String.join(",", hosts());
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

    /** Initiates the set with {@code config} and waits for a primary (normally the first member, stepped up). */
    public int initiateAndAwaitPrimary(Document config, Duration timeout) throws IOException {
        return ReplicaSetBootstrap.initiate(hosts(), config, timeout, key(), options.get(0).security().tls());
    }

    /** Sends replSetInitiate with {@code config} to the first member; returns its reply. */
    public Document initiate(Document config) throws IOException {
        return command(0, "admin", new Document("replSetInitiate", config));
    }

    /** Runs a command on one member over a plain connection (no driver, no server selection). */
    public Document command(int i, String db, Document command) throws IOException {
        try (PeerClient client = new PeerClient(host(i), 10_000, key(), options.get(0).security().tls())) {
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
            try {
                processes.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException("stopping member " + i + " of " + name, e);
            }
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < members.size(); i++) {
            stop(i);
        }
    }
}
