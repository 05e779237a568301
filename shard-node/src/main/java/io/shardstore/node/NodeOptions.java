package io.shardstore.node;

import java.nio.file.Path;
import java.util.List;

import io.shardstore.protocol.IncomingLimits;
import io.shardstore.security.SecurityOptions;

/**
 * How a node is started, mirroring mongod's options.
 *
 * @param dbPath null keeps data in memory only
 * @param replSet the replica set name; null runs a standalone node
 * @param argv the command line as given, reported by getCmdLineOpts
 * @param oplogSizeMB the capped oplog's maximum size (--oplogSizeMB); 0 for the default, {@link #defaultOplogSizeMB()}
 * @param testCommands {@code --setParameter enableTestCommands=1}: test commands (configureFailPoint) are available
 * @param ttlMonitorSleepSecs {@code --setParameter ttlMonitorSleepSecs}: seconds between TTL monitor rounds
 * @param incoming connections and bytes of incomplete messages the node holds for its clients
 * @param security whether clients must authenticate ({@code --auth})
 * @param plain {@code --plain}: behave as a mongod started without --shardsvr (see {@link #withPlain})
 */
public record NodeOptions(String bindIp, int port, Path dbPath, Path logPath, String replSet,
                          long journalCommitIntervalMillis, List<String> argv, long oplogSizeMB, boolean testCommands,
                          int ttlMonitorSleepSecs, IncomingLimits incoming, SecurityOptions security, boolean plain) {

    /** Without {@code plain} (a shard node, as mongod --shardsvr). */
    public NodeOptions(String bindIp, int port, Path dbPath, Path logPath, String replSet, long journalCommitIntervalMillis,
                       List<String> argv, long oplogSizeMB, boolean testCommands, int ttlMonitorSleepSecs, IncomingLimits incoming,
                       SecurityOptions security) {
        this(bindIp, port, dbPath, logPath, replSet, journalCommitIntervalMillis, argv, oplogSizeMB, testCommands, ttlMonitorSleepSecs,
            incoming, security, false);
    }

    /**
     * As a mongod started without --shardsvr ({@code --plain}): the node keeps no sharding state and refuses requests
     * that carry a {@code shardVersion}, and the {@code _shardsvr*} commands, with NoShardingEnabled (193).
     */
    public NodeOptions withPlain(boolean plain) {
        return new NodeOptions(bindIp, port, dbPath, logPath, replSet, journalCommitIntervalMillis, argv, oplogSizeMB, testCommands,
            ttlMonitorSleepSecs, incoming, security, plain);
    }

    public NodeOptions(String bindIp, int port, Path dbPath, Path logPath, String replSet, long journalCommitIntervalMillis,
                       List<String> argv, long oplogSizeMB, boolean testCommands, int ttlMonitorSleepSecs) {
        this(bindIp, port, dbPath, logPath, replSet, journalCommitIntervalMillis, argv, oplogSizeMB, testCommands, ttlMonitorSleepSecs,
            IncomingLimits.defaults(), SecurityOptions.OFF);
    }

    /** With {@code --auth} (or without). */
    public NodeOptions withSecurity(SecurityOptions security) {
        return new NodeOptions(bindIp, port, dbPath, logPath, replSet, journalCommitIntervalMillis, argv, oplogSizeMB, testCommands,
            ttlMonitorSleepSecs, incoming, security, plain);
    }

    /** With these connection and incoming-bytes limits ({@code --maxConns} and the like). */
    public NodeOptions withIncoming(IncomingLimits limits) {
        return new NodeOptions(bindIp, port, dbPath, logPath, replSet, journalCommitIntervalMillis, argv, oplogSizeMB, testCommands,
            ttlMonitorSleepSecs, limits, security, plain);
    }

    public NodeOptions(String bindIp, int port, Path dbPath, Path logPath, String replSet, long journalCommitIntervalMillis,
                       List<String> argv, long oplogSizeMB) {
        this(bindIp, port, dbPath, logPath, replSet, journalCommitIntervalMillis, argv, oplogSizeMB, false,
            io.shardstore.protocol.SetParameters.DEFAULT_TTL_MONITOR_SLEEP_SECS);
    }

    public static final int DEFAULT_PORT = 27018;

    public NodeOptions(String bindIp, int port, Path dbPath, Path logPath, String replSet, long journalCommitIntervalMillis,
                       List<String> argv) {
        this(bindIp, port, dbPath, logPath, replSet, journalCommitIntervalMillis, argv, 0);
    }

    /**
     * mongod's rule for its in-memory storage engine, 5% of memory within [50 MB, 50 GB], with the JVM's maximum heap
     * as the memory: the oplog lives on the heap here whether or not there is a --dbpath (the journal keeps it on disk,
     * but a restart loads it back into memory). WiredTiger's 990 MB floor would exceed a small test JVM's heap.
     */
    public static long defaultOplogSizeMB() {
        long fivePercent = Runtime.getRuntime().maxMemory() / 20 / (1024 * 1024);
        return Math.max(50, Math.min(50L * 1024, fivePercent));
    }

    /** The oplog's maximum size in bytes. */
    public long oplogSizeBytes() {
        return (oplogSizeMB > 0 ? oplogSizeMB : defaultOplogSizeMB()) * 1024 * 1024;
    }

    public NodeOptions withOplogSizeMB(long megabytes) {
        return new NodeOptions(bindIp, port, dbPath, logPath, replSet, journalCommitIntervalMillis, argv, megabytes, testCommands,
            ttlMonitorSleepSecs, incoming, security, plain);
    }

    public static NodeOptions inMemory(int port) {
        return new NodeOptions("127.0.0.1", port, null, null, null, 100, List.of());
    }

    public NodeOptions withReplSet(String replSet) {
        return new NodeOptions(bindIp, port, dbPath, logPath, replSet, journalCommitIntervalMillis, argv, oplogSizeMB, testCommands,
            ttlMonitorSleepSecs, incoming, security, plain);
    }

    public NodeOptions withTestCommands(boolean enabled) {
        return new NodeOptions(bindIp, port, dbPath, logPath, replSet, journalCommitIntervalMillis, argv, oplogSizeMB, enabled,
            ttlMonitorSleepSecs, incoming, security, plain);
    }

    /** The same options on {@code port} (a member restarted where it was bound). */
    public NodeOptions withPort(int port) {
        return new NodeOptions(bindIp, port, dbPath, logPath, replSet, journalCommitIntervalMillis, argv, oplogSizeMB, testCommands,
            ttlMonitorSleepSecs, incoming, security, plain);
    }

    public NodeOptions withDbPath(Path dbPath) {
        return new NodeOptions(bindIp, port, dbPath, logPath, replSet, journalCommitIntervalMillis, argv, oplogSizeMB, testCommands,
            ttlMonitorSleepSecs, incoming, security, plain);
    }
}
