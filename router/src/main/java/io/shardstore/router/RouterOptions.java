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
 * @param ioThreads event loops serving clients and shard connections; 0: one per two cores ({@link #eventLoops})
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
     * One event loop per two cores (at least one), not Netty's default of two per core: a request never blocks its loop,
     * the kernel's share of a proxy's work (TCP on both sides) is about as large as the loop's own, and on io_uring a loop
     * with more completions per wake-up spends less on each. On 2 cores, one loop instead of two took the router's CPU
     * per targeted update from 1.28x to 0.92x of HAProxy's, and per read from 0.96x to 0.90x (decision 0016).
     */
    public int eventLoops() {
        return ioThreads > 0 ? ioThreads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** With this many event loops ({@code --ioThreads}; 0: {@link #eventLoops}'s default). */
    public RouterOptions withIoThreads(int loops) {
        return new RouterOptions(bindIp, port, configDb, poolSize, shardTimeoutMillis, failoverMillis, heartbeatMillis, loops,
            argv, testCommands, incoming, security);
    }

    public static RouterOptions of(String configDb, int port) {
        return new RouterOptions("127.0.0.1", port, configDb, 32, 30_000, 20_000, 500, 0, List.of());
    }
}
