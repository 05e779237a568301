package io.shardstore.router.gateway;

import java.util.List;

/**
 * A shard's (or the config server's) address as config.shards and {@code --configdb} spell it: {@code host:port}
 * for a single node, {@code setName/host1:port1,host2:port2} for a replica set (any subset of its members is a
 * valid seed list; the rest are discovered through hello).
 */
public record HostSpec(String setName, List<String> hosts) {

    public static HostSpec parse(String spec) {
        int slash = spec.indexOf('/');
        String list = slash >= 0 ? spec.substring(slash + 1) : spec;
        List<String> hosts = List.of(list.split(","));
        if (hosts.isEmpty() || hosts.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("bad host string '" + spec + "': want host:port or set/host:port,...");
        }
        return new HostSpec(slash > 0 ? spec.substring(0, slash) : null, hosts);
    }

    public boolean replicaSet() {
        return setName != null;
    }
}
