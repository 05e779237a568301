package io.shardstore.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.replication.PeerClient;

/**
 * A replica set of shard nodes, each its own OS process with its own --dbpath, so a test can kill -9 a member and
 * start it again on the same port and data directory (it replays its journal and rejoins).
 */
public final class ProcessReplicaSet implements AutoCloseable {
    private final String name;
    private final int[] ports;
    private final Path[] dbPaths;
    private final NodeProcess[] members;
    private final List<NodeProcess> started = new ArrayList<>();

    private final String mainClass;
    private final List<String> jvmOptions;

    private ProcessReplicaSet(String name, int[] ports, Path[] dbPaths, String mainClass, List<String> jvmOptions) {
        this.mainClass = mainClass;
        this.jvmOptions = jvmOptions;
        this.name = name;
        this.ports = ports;
        this.dbPaths = dbPaths;
        this.members = new NodeProcess[ports.length];
    }

    public static ProcessReplicaSet start(String name, int count) throws IOException {
        return start(name, count, NodeProcess.SHARD_NODE);
    }

    /** A set of {@code count} processes of {@code mainClass} (NodeProcess.SHARD_NODE or NodeProcess.CONFIG_SERVER). */
    public static ProcessReplicaSet start(String name, int count, String mainClass) throws IOException {
        return start(name, count, mainClass, List.of());
    }

    /** The same, each member's JVM started with {@code jvmOptions} too (test hooks). */
    public static ProcessReplicaSet start(String name, int count, String mainClass, List<String> jvmOptions) throws IOException {
        int[] ports = new int[count];
        Path[] dbPaths = new Path[count];
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        for (int i = 0; i < count; i++) {
            // A port freed a moment ago can be handed out again (CI once gave two members the same one, and initiate
            // refused the set, 93): each member gets one no other member of the set has.
            do {
                ports[i] = NodeProcess.freePort();
            } while (!taken.add(ports[i]));
            dbPaths[i] = Files.createTempDirectory("rs-" + name + "-" + i + "-");
        }
        ProcessReplicaSet set = new ProcessReplicaSet(name, ports, dbPaths, mainClass, jvmOptions);
        try {
            for (int i = 0; i < count; i++) {
                set.restart(i);
            }
        } catch (IOException e) {
            set.close();
            throw e;
        }
        return set;
    }

    public int size() {
        return ports.length;
    }

    public String host(int i) {
        return "localhost:" + ports[i];
    }

    public int port(int i) {
        return ports[i];
    }

    /** The ports joined by commas (the pymongo scripts' argument). */
    public String portList() {
        List<String> out = new ArrayList<>();
        for (int p : ports) {
            out.add(Integer.toString(p));
        }
        return String.join(",", out);
    }

    /** A driver connection string for the whole set. */
    public String uri() {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            hosts.add(host(i));
        }
        return "mongodb://" + String.join(",", hosts) + "/?replicaSet=" + name;
    }

    public boolean running(int i) {
        return members[i] != null;
    }

    /** replSetInitiate on member 0 with every member and the given timings; returns the reply. */
    public Document initiate(long heartbeatIntervalMillis, long electionTimeoutMillis) throws IOException {
        List<Document> list = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            list.add(new Document("_id", i).append("host", host(i)));
        }
        Document config = new Document("_id", name).append("version", 1).append("members", list).append("settings",
            new Document("heartbeatIntervalMillis", heartbeatIntervalMillis).append("electionTimeoutMillis", electionTimeoutMillis));
        return command(0, "admin", new Document("replSetInitiate", config));
    }

    /** Runs a command on one member over a plain connection (no driver, no server selection). */
    public Document command(int i, String db, Document command) throws IOException {
        try (PeerClient client = new PeerClient(host(i), 10_000)) {
            return client.run(db, command);
        }
    }

    /** SIGKILL of one member: no shutdown, whatever it had not written to its journal is gone. */
    public void kill9(int i) throws InterruptedException {
        NodeProcess p = members[i];
        members[i] = null;
        if (p != null) {
            p.kill9();
        }
    }

    /** Starts member {@code i} (again) on its port and data directory. */
    public void restart(int i) throws IOException {
        if (members[i] == null) {
            members[i] = NodeProcess.startMain(mainClass, jvmOptions, ports[i], "--replSet", name, "--dbpath", dbPaths[i].toString());
            started.add(members[i]);
        }
    }

    /** The running member that says it is primary, waiting up to {@code timeout}; -1 if none. */
    public int awaitPrimary(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            for (int i = 0; i < ports.length; i++) {
                if (running(i) && Boolean.TRUE.equals(helloOrEmpty(i, 1_000).get("isWritablePrimary"))) {
                    return i;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        } while (System.nanoTime() < deadline);
        return -1;
    }

    /**
     * Waits until member {@code i} is a secondary that has applied at least what the primary {@code primary} had
     * applied when the wait began (so it could be elected next).
     */
    public void awaitCaughtUpSecondary(int i, int primary, Duration timeout) throws IOException {
        Document target = (Document) ((Document) command(primary, "admin", new Document("hello", 1)).get("lastWrite")).get("opTime");
        long targetTs = ((de.bwaldvogel.mongo.bson.BsonTimestamp) target.get("ts")).getValue();
        long deadline = System.nanoTime() + timeout.toNanos();
        Document hello = new Document();
        while (System.nanoTime() < deadline) {
            hello = helloOrEmpty(i, 1_000);
            if (Boolean.TRUE.equals(hello.get("secondary")) && hello.get("lastWrite") instanceof Document lw
                && lw.get("opTime") instanceof Document op && op.get("ts") instanceof de.bwaldvogel.mongo.bson.BsonTimestamp ts
                && Long.compareUnsigned(ts.getValue(), targetTs) >= 0) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        throw new IOException("member " + i + " did not become a caught-up secondary within " + timeout + "; last hello: " + hello);
    }

    /** hello on member {@code i}, or an empty document when it does not answer within {@code timeoutMillis}. */
    public Document helloOrEmpty(int i, int timeoutMillis) {
        try (PeerClient client = new PeerClient(host(i), timeoutMillis)) {
            return client.run("admin", new Document("hello", 1));
        } catch (IOException e) {
            return new Document();
        }
    }

    /** The logs of every process started so far (killed ones included), for a failure's report. */
    public String logs() {
        StringBuilder out = new StringBuilder();
        for (NodeProcess p : started) {
            try {
                out.append("---- node on port ").append(p.port()).append(" ----\n").append(p.output());
            } catch (IOException e) {
                out.append("(log unreadable: ").append(e).append(")\n");
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        for (int i = 0; i < members.length; i++) {
            NodeProcess p = members[i];
            members[i] = null;
            if (p != null) {
                try {
                    p.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (Path dir : dbPaths) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind
            }
        }
    }
}
