package io.shardstore.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A shard node in its own OS process, started from this JVM's classpath, so a test can kill it with
 * SIGKILL exactly as an operator would kill a mongod.
 */
public final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private NodeProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static NodeProcess start(int port, String... args) throws IOException {
        return startMain(SHARD_NODE, port, args);
    }

    public static final String SHARD_NODE = "io.shardstore.node.ShardNodeMain";
    public static final String CONFIG_SERVER = "io.shardstore.config.ConfigServerMain";

    /** A process of {@code mainClass} (a shard node's or a config server's main) on {@code port}. */
    public static NodeProcess startMain(String mainClass, int port, String... args) throws IOException {
        return startMain(mainClass, List.of(), port, args);
    }

    /** The same with more JVM options ({@code -Dname=value} test hooks). */
    public static NodeProcess startMain(String mainClass, List<String> jvmOptions, int port, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // bin/shard-node's heap: a member restarted after tens of thousands of writes replays its journal and
            // writes a checkpoint of everything (data and oplog) at once, which did not fit in 256 MB.
            "-Xmx1g", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
            mainClass, "--port", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("node-" + port + "-", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        NodeProcess node = new NodeProcess(p, port, log);
        node.awaitListening(Duration.ofSeconds(30));
        return node;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void awaitListening(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("node exited with " + process.exitValue() + ": " + output());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        throw new IOException("node did not listen on " + port + " within " + timeout + ": " + output());
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "mongodb://127.0.0.1:" + port + "/?directConnection=true";
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL, no shutdown hooks: whatever was not on disk is gone. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Runs the process to completion and returns its exit code (for nodes expected to refuse to start). */
    public static Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
            "-cp", System.getProperty("java.class.path"), "io.shardstore.node.ShardNodeMain"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException("node did not exit within " + timeout);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }

    public record Result(int exitCode, String output) {
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            kill9();
        }
    }
}
