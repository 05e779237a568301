package io.shardstore.router;

import java.util.List;

/**
 * How a router is started.
 *
 * @param configDb the config server, {@code host:port} (or {@code rs/host:port,...})
 * @param poolSize connections per shard host
 * @param failoverMillis how long a request waits for a replica-set shard to have a member it may use (a primary
 *                       during an election)
 * @param heartbeatMillis how often replica-set members are checked (changes are also pushed by awaitable hello)
 */
public record RouterOptions(String bindIp, int port, String configDb, int poolSize, long shardTimeoutMillis,
                            long failoverMillis, long heartbeatMillis, List<String> argv) {

    public static final int DEFAULT_PORT = 27017;

    public static RouterOptions of(String configDb, int port) {
        return new RouterOptions("127.0.0.1", port, configDb, 32, 30_000, 20_000, 500, List.of());
    }
}
