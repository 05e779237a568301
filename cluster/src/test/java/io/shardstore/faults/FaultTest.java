package io.shardstore.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.bson.Document;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

/**
 * Issue 10's randomized fault test (Jepsen-style, on request: {@code -Dgroups=faults -Dfailover.excluded=none}).
 * Each round starts the cluster as {@code bin/cluster} does (processes, 3-member sets), runs client threads through
 * the router with retryable writes while the {@link Nemesis} kills, stops and cuts off shard primaries, the config
 * primary, the router and members, heals everything, and checks the whole history ({@link History#check}): every
 * acknowledged write applied exactly once, no acknowledged majority write lost, no refused write applied, reads of
 * each session monotonic. Rounds, length, threads and seed: {@code -Dfaults.rounds} (20), {@code -Dfaults.seconds}
 * (60), {@code -Dfaults.threads} (4), {@code -Dfaults.seed}; the report goes to {@code -Dfaults.report}.
 */
@Tag("faults")
class FaultTest {
    // Below the ephemeral port range (32768+), so a client socket of another test never holds a member's port.
    private static final int BASE_PORT = 29017;

    @Test
    void roundsOfFaultsLoseNothingAndApplyNothingTwice() throws Exception {
        assumeTrue(FaultCluster.iptablesAvailable(), "the fault test needs iptables (root) to cut a member off");
        int rounds = Integer.getInteger("faults.rounds", 20);
        int seconds = Integer.getInteger("faults.seconds", 60);
        int threads = Integer.getInteger("faults.threads", 4);
        long seed = Long.getLong("faults.seed", System.currentTimeMillis());
        Path report = Path.of(System.getProperty("faults.report", "target/faults/report.md"));
        Files.createDirectories(report.toAbsolutePath().getParent());
        StringBuilder out = new StringBuilder();
        out.append("# Fault test: ").append(Instant.now()).append("\n\n")
            .append("Seed ").append(seed).append(", ").append(rounds).append(" rounds of ").append(seconds).append(" s, ")
            .append(threads).append(" client threads (Java driver defaults, retryable writes, w: majority), ")
            .append("sets with heartbeat 500 ms / election timeout 2000 ms. ")
            .append(FaultCluster.canCutOutgoing()
                ? "A partition cuts a member off both ways: its port, and every packet its process sends.\n\n"
                : "A partition cuts only the member's port (no cgroup v2 here): its own outgoing connections still go out.\n\n")
            .append("| round | seed | faults injected | inserts ok/unknown/failed | updates ok/unknown | deletes ok/unknown | reads ok | anomalies |\n")
            .append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        int totalAnomalies = 0;
        Map<Nemesis.Fault, Integer> totalFaults = new TreeMap<>();
        List<String> details = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            long roundSeed = seed + round;
            Path root = Files.createTempDirectory("faults-" + round + "-");
            History history = new History();
            Nemesis nemesis;
            try (FaultCluster cluster = FaultCluster.start(BASE_PORT, root, 500, 2000)) {
                String coll = "r" + round;
                try (MongoClient admin = MongoClients.create(cluster.routerUri())) {
                    admin.getDatabase("admin").runCommand(new Document("enableSharding", "faults"));
                    admin.getDatabase("admin").runCommand(new Document("shardCollection", "faults." + coll)
                        .append("key", new Document("k", "hashed")));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                nemesis = new Nemesis(cluster, roundSeed, deadline);
                List<Thread> running = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Thread client = new Thread(new Workload(cluster.routerUri(), "faults", coll, t, roundSeed * 31 + t, deadline, history),
                        "client-" + t);
                    client.start();
                    running.add(client);
                }
                Thread nemesisThread = new Thread(nemesis, "nemesis");
                nemesisThread.start();
                nemesisThread.join();
                for (Thread t : running) {
                    t.join(TimeUnit.SECONDS.toMillis(seconds + 120));
                }
                finalCheck(cluster, coll, history);
            }
            nemesis.injected.forEach((f, n) -> totalFaults.merge(f, n, Integer::sum));
            totalAnomalies += history.anomalies.size();
            out.append("| ").append(round).append(" | ").append(roundSeed).append(" | ").append(nemesis.injected.values().stream().mapToInt(i -> i).sum())
                .append(" (").append(nemesis.injected.size()).append(" kinds) | ")
                .append(c(history, "insert ok")).append("/").append(c(history, "insert unknown")).append("/").append(failed(history, "insert"))
                .append(" | ").append(c(history, "update ok")).append("/").append(c(history, "update unknown"))
                .append(" | ").append(c(history, "delete ok")).append("/").append(c(history, "delete unknown"))
                .append(" | ").append(c(history, "read ok")).append(" | ").append(history.anomalies.size()).append(" |\n");
            details.add("Round " + round + ": " + String.join("; ", nemesis.log)
                + (history.anomalies.isEmpty() ? "" : "\n  ANOMALIES: " + String.join("; ", history.anomalies))
                + (history.locations.isEmpty() ? "" : "\n  WHERE: " + String.join("; ", history.locations)));
            Files.writeString(report, out + "\n" + String.join("\n\n", details) + "\n");
        }
        out.append("\nFaults injected in all: ").append(totalFaults).append(". Anomalies: ").append(totalAnomalies).append(".\n\n");
        Files.writeString(report, out + String.join("\n\n", details) + "\n");
        assertEquals(0, totalAnomalies, "anomalies found; see " + report.toAbsolutePath());
    }

    private static long c(History h, String key) {
        var v = h.counts.get(key);
        return v == null ? 0 : v.get();
    }

    private static long failed(History h, String kind) {
        return h.counts.entrySet().stream().filter(e -> e.getKey().startsWith(kind + " failed")).mapToLong(e -> e.getValue().get()).sum();
    }

    /** Once every fault is healed: waits until a majority write through the router works, then reads every document. */
    private static void finalCheck(FaultCluster cluster, String coll, History history) {
        try (MongoClient client = MongoClients.create(cluster.routerUri() + "/?w=majority&serverSelectionTimeoutMS=60000")) {
            MongoCollection<Document> c = client.getDatabase("faults").getCollection(coll);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (true) {
                try {
                    client.getDatabase("faults").getCollection("probe").insertOne(new Document("at", System.nanoTime()));
                    break;
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        history.anomaly("cluster not writable 120 s after the faults were healed: " + e);
                        return;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                }
            }
            Map<String, Integer> copies = new HashMap<>();
            Map<String, Long> finalN = new HashMap<>();
            for (Document d : c.find()) {
                String id = d.getString("_id");
                copies.merge(id, 1, Integer::sum);
                finalN.put(id, ((Number) d.get("n")).longValue());
            }
            history.check(copies, finalN);
            for (String id : history.lost) {
                history.locations.add(id + " is on: " + whereIs(cluster, coll, id));
            }
        }
    }

    /** Which members hold a document, read on each member itself (to tell a lost write from one the router misses). */
    private static List<String> whereIs(FaultCluster cluster, String coll, String id) {
        List<String> holders = new ArrayList<>();
        for (FaultCluster.Member m : cluster.members().values()) {
            if (!m.set().startsWith("shard")) {
                continue;
            }
            try (io.shardstore.node.replication.PeerClient peer = new io.shardstore.node.replication.PeerClient("127.0.0.1:" + m.port(), 5000)) {
                de.bwaldvogel.mongo.bson.Document reply = peer.run("faults", new de.bwaldvogel.mongo.bson.Document("find", coll)
                    .append("filter", new de.bwaldvogel.mongo.bson.Document("_id", id))
                    .append("$readPreference", new de.bwaldvogel.mongo.bson.Document("mode", "secondaryPreferred")));
                Object batch = ((de.bwaldvogel.mongo.bson.Document) reply.get("cursor")).get("firstBatch");
                holders.add(m.name() + ": " + (((List<?>) batch).isEmpty() ? "no" : ((List<?>) batch).get(0)));
            } catch (Exception e) {
                holders.add(m.name() + ": " + e.getMessage());
            }
        }
        return holders;
    }
}
