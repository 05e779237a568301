package io.shardstore.node;

import java.nio.file.Path;
import java.util.List;

/**
 * How a node is started, mirroring mongod's options.
 *
 * @param dbPath null keeps data in memory only
 * @param replSet the replica set name; null runs a standalone node
 * @param argv the command line as given, reported by getCmdLineOpts
 */
public record NodeOptions(String bindIp, int port, Path dbPath, Path logPath, String replSet,
                          long journalCommitIntervalMillis, List<String> argv) {

    public static final int DEFAULT_PORT = 27018;

    public static NodeOptions inMemory(int port) {
        return new NodeOptions("127.0.0.1", port, null, null, null, 100, List.of());
    }

    public NodeOptions withReplSet(String replSet) {
        return new NodeOptions(bindIp, port, dbPath, logPath, replSet, journalCommitIntervalMillis, argv);
    }

    public NodeOptions withDbPath(Path dbPath) {
        return new NodeOptions(bindIp, port, dbPath, logPath, replSet, journalCommitIntervalMillis, argv);
    }
}
