package io.shardstore.bench.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * HAProxy in TCP mode as the relay baseline, used when {@code haproxy} is on the PATH (the first
 * choice). Runs in the foreground ({@code -db}) as a child process so its CPU can be read from /proc.
 */
public final class HaproxyRelay {

    private HaproxyRelay() {
    }

    /** The haproxy executable on the PATH, or null. */
    public static Path find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "haproxy");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    public static Relay start(Path haproxy, int port, int targetPort, Path workDir) throws IOException, InterruptedException {
        Path cfg = workDir.resolve("haproxy.cfg");
        Files.createDirectories(workDir);
        Files.writeString(cfg, String.join("\n",
            "global",
            // The relay carries at most the bench's 256 client connections (the 10,000 idle connections go to the
            // router alone); haproxy asks for about 2 fds per maxconn, and 20000 would need more than this
            // machine's hard limit of 20000 open files.
            "  maxconn 4096",
            "defaults",
            "  mode tcp",
            "  timeout connect 5s",
            "  timeout client 1h",
            "  timeout server 1h",
            "listen relay",
            "  bind 127.0.0.1:" + port,
            "  server shard 127.0.0.1:" + targetPort,
            ""));
        return new ProcessRelay("haproxy", ChildProcess.start("relay", port, workDir, List.of(haproxy.toString(), "-db", "-f", cfg.toString())));
    }
}
