package io.shardstore.router.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import com.mongodb.MongoClientSettings;
import com.mongodb.ReadPreference;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.connection.ClusterConnectionMode;
import com.mongodb.connection.ClusterDescription;
import com.mongodb.connection.ServerDescription;
import com.mongodb.event.ClusterDescriptionChangedEvent;
import com.mongodb.event.ClusterListener;

/**
 * Watches one replica set's members the way drivers do, by reusing the Java driver's own server discovery and
 * monitoring: a monitor-only client (it never runs an operation, so it holds only the monitoring connections)
 * streams awaitable hellos from every member and reports each new topology here. Server selection then applies
 * the driver's read-preference rules ({@link ReadPreference#choose}) to the latest topology, plus the 15 ms
 * latency window, so modes, tag sets and maxStalenessSeconds behave as a driver would make them behave.
 */
public final class ReplicaSetMonitor implements AutoCloseable {
    /** The server-selection spec's default localThresholdMS. */
    private static final long LATENCY_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(15);

    private final HostSpec spec;
    private final MongoClient monitor;
    private final AtomicReference<CompletableFuture<ClusterDescription>> nextChange = new AtomicReference<>(new CompletableFuture<>());
    /** The last preference resolved without a member to avoid (one field: a race only costs resolving it again). */
    private volatile Selection lastSelection;

    public ReplicaSetMonitor(HostSpec spec, long heartbeatMillis) {
        this(spec, heartbeatMillis, io.shardstore.protocol.TlsOptions.DISABLED);
    }

    /** With TLS to the members when the router's own connections use it. */
    public ReplicaSetMonitor(HostSpec spec, long heartbeatMillis, io.shardstore.protocol.TlsOptions tls) {
        this.spec = spec;
        List<ServerAddress> seeds = spec.hosts().stream().map(ReplicaSetMonitor::address).collect(Collectors.toList());
        this.monitor = MongoClients.create(MongoClientSettings.builder()
            .applyToClusterSettings(b -> b.hosts(seeds).mode(ClusterConnectionMode.MULTIPLE).requiredReplicaSetName(spec.setName())
                .addClusterListener(new ClusterListener() {
                    @Override
                    public void clusterDescriptionChanged(ClusterDescriptionChangedEvent event) {
                        nextChange.getAndSet(new CompletableFuture<>()).complete(event.getNewDescription());
                    }
                }))
            .applyToServerSettings(b -> b.heartbeatFrequency(heartbeatMillis, TimeUnit.MILLISECONDS)
                .minHeartbeatFrequency(Math.min(heartbeatMillis, 500), TimeUnit.MILLISECONDS))
            .applyToSocketSettings(b -> b.connectTimeout(2, TimeUnit.SECONDS))
            .applyToSslSettings(b -> {
                if (tls.outgoing()) {
                    b.enabled(true).context(tls.jdkClientContext()).invalidHostNameAllowed(tls.allowInvalidCertificates());
                }
            })
            .applicationName("router-monitor")
            .build());
    }

    static ServerAddress address(String host) {
        int colon = host.lastIndexOf(':');
        return colon < 0 ? new ServerAddress(host) : new ServerAddress(host.substring(0, colon), Integer.parseInt(host.substring(colon + 1)));
    }

    public String setName() {
        return spec.setName();
    }

    /**
     * The latest topology. Read from the client, not from change events: the driver publishes an event only when a
     * member's role changes, while the lastWriteDate and update times that maxStalenessSeconds needs are refreshed
     * by every hello.
     */
    public ClusterDescription description() {
        return monitor.getClusterDescription();
    }

    /** Completes with the next topology the monitor reports. */
    public CompletableFuture<ClusterDescription> nextChange() {
        return nextChange.get();
    }

    /**
     * A member for {@code preference} in the latest topology, as {@code host:port}, or null when none fits now.
     * {@code avoid} (a member that just failed, or null) is skipped while the topology still lists it as it was.
     */
    public String select(ReadPreference preference, String avoid) {
        ClusterDescription description = description();
        Selection last = lastSelection;
        if (avoid == null && last != null && last.description() == description && last.preference().equals(preference)) {
            return last.pick(); // the topology has not changed since this preference was last resolved
        }
        List<String> window = window(preference.choose(description), avoid);
        if (avoid == null) {
            lastSelection = new Selection(description, preference, window);
        }
        return window.isEmpty() ? null : window.get(ThreadLocalRandom.current().nextInt(window.size()));
    }

    /** The candidates within the latency window of the fastest, as host strings ({@code avoid} left out). */
    private static List<String> window(List<ServerDescription> chosen, String avoid) {
        List<ServerDescription> candidates = new ArrayList<>();
        for (ServerDescription s : chosen) {
            if (avoid == null || !avoid.equals(hostOf(s))) {
                candidates.add(s);
            }
        }
        long fastest = candidates.stream().mapToLong(ServerDescription::getRoundTripTimeNanos).min().orElse(0);
        List<String> hosts = new ArrayList<>();
        for (ServerDescription s : candidates) {
            if (s.getRoundTripTimeNanos() <= fastest + LATENCY_WINDOW_NANOS) {
                hosts.add(hostOf(s));
            }
        }
        return List.copyOf(hosts);
    }

    /**
     * The members a preference resolved to in one topology. The driver hands out the same description object until a
     * hello changes something (every heartbeat does, for lastWriteDate), so a request on an unchanged topology picks
     * from here instead of applying the read-preference rules again: the answer would be the same.
     */
    private record Selection(ClusterDescription description, ReadPreference preference, List<String> hosts) {
        String pick() {
            return hosts.isEmpty() ? null : hosts.size() == 1 ? hosts.get(0) : hosts.get(ThreadLocalRandom.current().nextInt(hosts.size()));
        }
    }

    static String hostOf(ServerDescription s) {
        return s.getAddress().getHost() + ":" + s.getAddress().getPort();
    }

    @Override
    public void close() {
        monitor.close();
    }
}
