package io.shardstore.sharding;

/**
 * Hosts as the catalog writes them ({@code config.shards.host}, {@code --configdb}) turned into a driver
 * connection string: {@code host:port} is one server (a direct connection), {@code rs/h1:p1,h2:p2} a replica
 * set the driver discovers and follows to its primary.
 */
public final class ConnectionStrings {

    private ConnectionStrings() {
    }

    public static String of(String hosts) {
        int slash = hosts.indexOf('/');
        if (slash > 0) {
            return "mongodb://" + hosts.substring(slash + 1) + "/?replicaSet=" + hosts.substring(0, slash);
        }
        return "mongodb://" + hosts + "/?directConnection=true";
    }
}
