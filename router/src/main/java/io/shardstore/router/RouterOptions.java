package io.shardstore.router;

import java.util.List;

import io.shardstore.protocol.IncomingLimits;
import io.shardstore.security.SecurityOptions;

/**
 * How a router is started.
 *
 * @param configDb the config server, {@code host:port} (or {@code rs/host:port,...})
 * @param poolSize connections per shard host
 * @param failoverMillis how long a request waits for a replica-set shard to have a member it may use (a primary
 *                       during an election)
 * @param heartbeatMillis how often replica-set members are checked (changes are also pushed by awaitable hello)
 * @param ioThreads event loops serving clients and shard connections; 0: one per core
 * @param incoming connections and bytes of incomplete messages the router holds for its clients
 * @param security whether clients must authenticate ({@code --auth}); users are the config server's
 */
public record RouterOptions(String bindIp, int port, String configDb, int poolSize, long shardTimeoutMillis,
                            long failoverMillis, long heartbeatMillis, int ioThreads, List<String> argv, boolean testCommands,
                            IncomingLimits incoming, SecurityOptions security) {

    public RouterOptions(String bindIp, int port, String configDb, int poolSize, long shardTimeoutMillis, long failoverMillis,
                         long heartbeatMillis, int ioThreads, List<String> argv, boolean testCommands, IncomingLimits incoming) {
        this(bindIp, port, configDb, poolSize, shardTimeoutMillis, failoverMillis, heartbeatMillis, ioThreads, argv, testCommands,
            incoming, SecurityOptions.OFF);
    }

    public RouterOptions(String bindIp, int port, String configDb, int poolSize, long shardTimeoutMillis, long failoverMillis,
                         long heartbeatMillis, int ioThreads, List<String> argv, boolean testCommands) {
        this(bindIp, port, configDb, poolSize, shardTimeoutMillis, failoverMillis, heartbeatMillis, ioThreads, argv, testCommands,
            IncomingLimits.defaults());
    }

    public RouterOptions(String bindIp, int port, String configDb, int poolSize, long shardTimeoutMillis, long failoverMillis,
                         long heartbeatMillis, int ioThreads, List<String> argv) {
        this(bindIp, port, configDb, poolSize, shardTimeoutMillis, failoverMillis, heartbeatMillis, ioThreads, argv, false);
    }

    /** With {@code --setParameter enableTestCommands=1}: configureFailPoint is available, as on mongos. */
    public RouterOptions withTestCommands(boolean enabled) {
        return new RouterOptions(bindIp, port, configDb, poolSize, shardTimeoutMillis, failoverMillis, heartbeatMillis, ioThreads,
            argv, enabled, incoming, security);
    }

    /** With these connection and incoming-bytes limits ({@code --maxConns} and the like). */
    public RouterOptions withIncoming(IncomingLimits limits) {
        return new RouterOptions(bindIp, port, configDb, poolSize, shardTimeoutMillis, failoverMillis, heartbeatMillis, ioThreads,
            argv, testCommands, limits, security);
    }

    /** With {@code --auth} (or without). */
    public RouterOptions withSecurity(SecurityOptions security) {
        return new RouterOptions(bindIp, port, configDb, poolSize, shardTimeoutMillis, failoverMillis, heartbeatMillis, ioThreads,
            argv, testCommands, incoming, security);
    }

    public static final int DEFAULT_PORT = 27017;

    /**
     * One event loop per core, as HAProxy runs one thread per CPU, not Netty's default of two: a request never
     * blocks its loop, so more loops than cores only add wake-ups and context switches (decision 0008).
     */
    public int eventLoops() {
        return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }

    public static RouterOptions of(String configDb, int port) {
        return new RouterOptions("127.0.0.1", port, configDb, 32, 30_000, 20_000, 500, 0, List.of());
    }
}
