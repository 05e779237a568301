package io.shardstore.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.replication.PeerClient;

/**
 * A whole cluster as {@code bin/cluster} starts it (3-member config set, 3-member shard sets, router; each its own
 * process), started from this JVM's classpath on ports of its own, with the operator's means of doing harm:
 * {@code kill -9} and restart on the same data directory, {@code SIGSTOP} / {@code SIGCONT}, and cutting a member off
 * from everyone: iptables drops every packet to and from its port, and every packet its process sends (each process
 * sits in a cgroup v2 group of its own, matched with {@code -m cgroup --path}), so its own outgoing connections (sync
 * source, heartbeats, vote requests) are cut as well. Where cgroup v2 is not writable, only the port is cut, and the
 * report says so ({@link #cutsOutgoing()}).
 */
final class FaultCluster implements AutoCloseable {
    private static final Pattern ROW = Pattern.compile("^\\s{2}(\\S+)\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(.*)$");

    /** One process of the cluster: its name (router, config-0, shard1-2...), set, port and command line. */
    record Member(String name, String set, int port, List<String> command) {
    }

    private final Process launcher;
    private final Path root;
    private final Map<String, Member> members = new LinkedHashMap<>();
    /** Current pid of each process (a restart changes it); processes this class restarted, to stop at the end. */
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Map<String, Process> restarted = new LinkedHashMap<>();
    private final List<Member> partitioned = new ArrayList<>();
    private final int routerPort;
    /** The cgroup v2 group (under {@link #CGROUP2}) holding one group per member, or null where none can be made. */
    private final String cgroupParent;

    private FaultCluster(Process launcher, Path root, int routerPort) {
        this.launcher = launcher;
        this.root = root;
        this.routerPort = routerPort;
        this.cgroupParent = makeCgroupParent("shardstore-faults-" + routerPort);
    }

    /** Where this machine mounts cgroup v2 (hybrid layout); iptables' {@code --path} is relative to it. */
    private static final Path CGROUP2 = Path.of("/sys/fs/cgroup/unified");

    private static String makeCgroupParent(String name) {
        if (!canCutOutgoing()) {
            return null;
        }
        try {
            Files.createDirectories(CGROUP2.resolve(name));
            return name;
        } catch (IOException e) {
            return null;
        }
    }

    /** True when a partition also cuts a member's outgoing connections (cgroup v2 mounted where expected). */
    static boolean canCutOutgoing() {
        return Files.isRegularFile(CGROUP2.resolve("cgroup.controllers"));
    }

    /** Moves a member's process into its own cgroup, so a partition can match the packets it sends. */
    private void enterCgroup(String member, long pid) {
        if (cgroupParent == null) {
            return;
        }
        try {
            Path dir = CGROUP2.resolve(cgroupPath(member));
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("cgroup.procs"), Long.toString(pid));
        } catch (IOException e) {
            throw new IllegalStateException("cannot move " + member + " (pid " + pid + ") into its cgroup", e);
        }
    }

    private String cgroupPath(String member) {
        return cgroupParent + "/" + member;
    }

    /** Starts the cluster with ports from {@code basePort} (router), sets with short election timings. */
    static FaultCluster start(int basePort, Path root, long heartbeatMillis, long electionTimeoutMillis) throws Exception {
        Files.createDirectories(root);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.shardstore.cluster.ClusterMain",
            "--port", Integer.toString(basePort), "--configPort", Integer.toString(basePort + 2),
            "--shardPort", Integer.toString(basePort + 1), "--dbpath", root.toString(),
            "--heartbeatIntervalMillis", Long.toString(heartbeatMillis),
            "--electionTimeoutMillis", Long.toString(electionTimeoutMillis)));
        Path out = root.resolve("cluster.out");
        Process launcher = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        FaultCluster cluster = new FaultCluster(launcher, root, basePort);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            String text = Files.readString(out);
            if (text.contains("Connect with")) {
                cluster.parse(text);
                return cluster;
            }
            if (!launcher.isAlive() || System.nanoTime() > deadline) {
                launcher.destroyForcibly();
                throw new IOException("cluster did not start: " + text);
            }
            launcher.waitFor(200, TimeUnit.MILLISECONDS);
        }
    }

    private void parse(String table) throws IOException {
        for (String line : table.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (!m.matches() || m.group(1).equals("process")) {
                continue;
            }
            long pid = Long.parseLong(m.group(4));
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            List<String> command = new ArrayList<>(Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0")));
            members.put(m.group(1), new Member(m.group(1), m.group(2), Integer.parseInt(m.group(3)), command));
            pids.put(m.group(1), pid);
            enterCgroup(m.group(1), pid);
        }
    }

    String routerUri() {
        return "mongodb://127.0.0.1:" + routerPort;
    }

    Map<String, Member> members() {
        return members;
    }

    /** The members of a set ("configRS", "shard0"...). */
    List<Member> set(String name) {
        return members.values().stream().filter(m -> m.set().equals(name)).toList();
    }

    /** The member of {@code set} that says it is primary, or null. */
    Member primaryOf(String set) {
        for (Member m : set(set)) {
            try (PeerClient client = new PeerClient("127.0.0.1:" + m.port(), 1000)) {
                Document hello = client.run("admin", new Document("hello", 1));
                if (Boolean.TRUE.equals(hello.get("isWritablePrimary"))) {
                    return m;
                }
            } catch (IOException | RuntimeException e) {
                // down, stopped or cut off: not the one
            }
        }
        return null;
    }

    void kill9(Member m) throws Exception {
        signal(m, "KILL");
        Process own = restarted.remove(m.name());
        if (own != null) {
            own.waitFor(10, TimeUnit.SECONDS);
        } else {
            var exit = ProcessHandle.of(pids.get(m.name())).map(ProcessHandle::onExit).orElse(null);
            if (exit != null) {
                exit.get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts a killed process again with its own command line (same port, same --dbpath). */
    void restart(Member m) throws IOException {
        Process p = new ProcessBuilder(m.command()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve(m.name() + ".out").toFile())).start();
        restarted.put(m.name(), p);
        pids.put(m.name(), p.pid());
        enterCgroup(m.name(), p.pid());
    }

    void stop(Member m) throws Exception {
        signal(m, "STOP");
    }

    void resume(Member m) throws Exception {
        signal(m, "CONT");
    }

    /** Drops every packet to and from the member's port and every packet its process sends: it is alone. */
    void partition(Member m) throws Exception {
        cut("-A", m);
        partitioned.add(m);
    }

    void heal(Member m) throws Exception {
        cut("-D", m);
        partitioned.remove(m);
    }

    private void cut(String action, Member m) throws Exception {
        for (String dir : new String[] {"--dport", "--sport"}) {
            iptables(action, "INPUT", "-i", "lo", "-p", "tcp", dir, Integer.toString(m.port()), "-j", "DROP");
        }
        if (cgroupParent != null) {
            iptables(action, "OUTPUT", "-o", "lo", "-p", "tcp", "-m", "cgroup", "--path", cgroupPath(m.name()), "-j", "DROP");
        }
    }

    boolean listening(Member m) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", m.port()), 250);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void signal(Member m, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pids.get(m.name()))).redirectErrorStream(true).start();
        kill.waitFor(10, TimeUnit.SECONDS);
    }

    static boolean iptablesAvailable() {
        try {
            Process p = new ProcessBuilder("iptables", "-L", "INPUT", "-n").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void iptables(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("iptables"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    @Override
    public void close() throws Exception {
        for (Member m : new ArrayList<>(partitioned)) {
            cut("-D", m);
        }
        partitioned.clear();
        for (Member m : members.values()) {
            signal(m, "CONT");
        }
        launcher.destroy();
        launcher.waitFor(30, TimeUnit.SECONDS);
        for (Process p : restarted.values()) {
            p.destroy();
        }
        for (Process p : restarted.values()) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        launcher.destroyForcibly();
        removeCgroups();
    }

    /** Empty groups can go once their processes are gone; a group still busy is left (harmless, named by port). */
    private void removeCgroups() {
        if (cgroupParent == null) {
            return;
        }
        for (String member : members.keySet()) {
            try {
                Files.deleteIfExists(CGROUP2.resolve(cgroupPath(member)));
            } catch (IOException e) {
                // a process still exiting: the group stays, empty soon
            }
        }
        try {
            Files.deleteIfExists(CGROUP2.resolve(cgroupParent));
        } catch (IOException e) {
            // idem
        }
    }
}
