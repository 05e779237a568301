package io.shardstore.bench.servers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A server the bench started as an OS process (a JVM on the bench's own classpath, or haproxy), listening on a port. */
public final class ChildProcess implements AutoCloseable {
    private final String name;
    private final int port;
    private final Process process;
    private final Path output;

    private ChildProcess(String name, int port, Process process, Path output) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.output = output;
    }

    /** Starts {@code mainClass} in a new JVM with the bench's classpath and waits until it listens on {@code port}. */
    public static ChildProcess java(String name, int port, Path logDir, List<String> jvmOptions, String mainClass, String... args)
        throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return start(name, port, logDir, cmd);
    }

    public static ChildProcess start(String name, int port, Path logDir, List<String> command) throws IOException, InterruptedException {
        Files.createDirectories(logDir);
        Path out = logDir.resolve(name + ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        ChildProcess child = new ChildProcess(name, port, p, out);
        child.awaitListening(Duration.ofSeconds(60));
        return child;
    }

    private void awaitListening(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited (" + process.exitValue() + "): " + Files.readString(output).trim());
            }
            if (listening(port)) {
                return;
            }
            process.waitFor(50, TimeUnit.MILLISECONDS); // returns early if it dies
        }
        close();
        throw new IOException(name + " did not listen on port " + port + " within " + timeout.toSeconds() + " s");
    }

    public static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 250);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port free right now (the child binds it a moment later; a clash fails loudly at start). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Pauses (SIGSTOP) or resumes (SIGCONT) the process: a stand-in for a server that stops answering. */
    public void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + pid() + " failed");
        }
    }

    /** Sends SIGTERM without waiting (see {@link #close}). */
    public void stop() {
        process.destroy();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
