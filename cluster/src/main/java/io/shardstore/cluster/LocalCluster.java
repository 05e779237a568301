package io.shardstore.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.config.ConfigServer;
import io.shardstore.node.NodeOptions;
import io.shardstore.node.ShardNode;
import io.shardstore.router.Router;
import io.shardstore.router.RouterOptions;

/**
 * A whole sharded cluster in this JVM, on free loopback ports: a config server, N shards, a router, with the shards
 * added. Each shard and the config server is one node ({@link #start(int)}) or a replica set ({@link #builder()}
 * with {@code members} / {@code configMembers} above 1). For tests and embedding; {@code bin/cluster} starts the
 * same shape as processes.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Duration PRIMARY_TIMEOUT = Duration.ofSeconds(30);

    /** One per shard, or for the config server: a single node or a replica set. */
    private record Part(ShardNode node, Runnable stop, LocalReplicaSet set) implements AutoCloseable {
        String hosts() {
            return set != null ? set.seedList() : "127.0.0.1:" + node.port();
        }

        String uri() {
            return set != null ? set.uri() : "mongodb://127.0.0.1:" + node.port() + "/?directConnection=true";
        }

        @Override
        public void close() {
            stop.run();
        }
    }

    private final Part config;
    private final List<Part> shards;
    private final Router router;

    private LocalCluster(Part config, List<Part> shards, Router router) {
        this.config = config;
        this.shards = shards;
        this.router = router;
    }

    public static LocalCluster start(int shardCount) throws Exception {
        return start(shardCount, 60_000);
    }

    /** @param balancerIntervalMillis time between balancer rounds (long by default so tests see stable placement) */
    public static LocalCluster start(int shardCount, long balancerIntervalMillis) throws Exception {
        return builder().shards(shardCount).balancerIntervalMillis(balancerIntervalMillis).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The shape of a cluster: by default 2 single-node shards and a single config server. */
    public static final class Builder {
        private int shards = 2;
        private int members = 1;
        private int configMembers = 1;
        private long balancerIntervalMillis = 60_000;
        private long heartbeatIntervalMillis = 250;
        private long electionTimeoutMillis = 2_000;
        private java.nio.file.Path dataRoot;
        private boolean testCommands;
        private int routerLoops;
        private boolean plainShards;
        private io.shardstore.security.SecurityOptions security = io.shardstore.security.SecurityOptions.OFF;

        private Builder() {
        }

        public Builder shards(int n) {
            this.shards = n;
            return this;
        }

        /** Members of each shard's replica set (named shard0, shard1, ...); 1 starts single nodes. */
        public Builder members(int n) {
            this.members = n;
            return this;
        }

        /** Members of the config replica set (named configRS); 1 starts a single config server. */
        public Builder configMembers(int n) {
            this.configMembers = n;
            return this;
        }

        /**
         * Replica-set shards keep their data in {@code root}/shardN/mM (journal and checkpoints, as {@code bin/cluster}'s
         * members with their --dbpath); without it they are in memory.
         */
        public Builder dataDirectory(java.nio.file.Path root) {
            this.dataRoot = root;
            return this;
        }

        /**
         * Shard nodes started with --plain: they behave as mongod without --shardsvr (no shard versions, no
         * {@code _shardsvr*} commands), so the router treats them as it treats real mongod shards (issue 11).
         */
        public Builder plainShards(boolean plain) {
            this.plainShards = plain;
            return this;
        }

        /** The router's event loops ({@code --ioThreads}); 0, the default: one per two cores. */
        public Builder routerLoops(int loops) {
            this.routerLoops = loops;
            return this;
        }

        /** Test commands (configureFailPoint) on the router and single-node shards: {@code enableTestCommands=1}. */
        public Builder testCommands(boolean enabled) {
            this.testCommands = enabled;
            return this;
        }

        /**
         * Every process with {@code --auth} and this key file (members, config servers and router log in to each other
         * as __system with it); this process's own set-up clients do too.
         */
        public Builder keyFile(io.shardstore.security.KeyFile key) {
            this.security = io.shardstore.security.SecurityOptions.withKey(key).withTls(security.tls());
            return this;
        }

        /** Every process with these TLS options (its server side, and its own connections for preferTLS / requireTLS). */
        public Builder tls(io.shardstore.protocol.TlsOptions tls) {
            this.security = security.withTls(tls);
            return this;
        }

        public Builder balancerIntervalMillis(long millis) {
            this.balancerIntervalMillis = millis;
            return this;
        }

        /** The sets' settings (short by default, so a test sees a failover in seconds). */
        public Builder electionTimings(long heartbeatIntervalMillis, long electionTimeoutMillis) {
            this.heartbeatIntervalMillis = heartbeatIntervalMillis;
            this.electionTimeoutMillis = electionTimeoutMillis;
            return this;
        }

        public LocalCluster start() throws Exception {
            List<Part> started = new ArrayList<>();
            Router router = null;
            try {
                Part config = configMembers > 1
                    ? set(LocalReplicaSet.startConfigServers("configRS", configMembers, balancerIntervalMillis, security))
                    : single(ConfigServer.start(NodeOptions.inMemory(0).withSecurity(security), balancerIntervalMillis));
                started.add(config);
                List<Part> shardParts = new ArrayList<>();
                for (int i = 0; i < shards; i++) {
                    Part shard = members > 1 ? set(dataRoot != null
                        ? LocalReplicaSet.startDurable("shard" + i, members, dataRoot.resolve("shard" + i))
                        : LocalReplicaSet.start("shard" + i, memberOptions("shard" + i)))
                        : single(ShardNode.start(NodeOptions.inMemory(0).withTestCommands(testCommands).withSecurity(security)
                            .withPlain(plainShards)));
                    started.add(shard);
                    shardParts.add(shard);
                }
                router = Router.start(RouterOptions.of(config.hosts(), 0).withTestCommands(testCommands).withSecurity(security)
                    .withIoThreads(routerLoops));
                // addShard goes to the config server itself: it follows the config set's primary.
                com.mongodb.MongoClientSettings.Builder settings = com.mongodb.MongoClientSettings.builder()
                    .applyConnectionString(new com.mongodb.ConnectionString(config.uri()));
                if (security.tls().enabled()) {
                    io.shardstore.protocol.TlsOptions tls = security.tls();
                    settings.applyToSslSettings(ssl -> ssl.enabled(true).context(tls.jdkClientContext())
                        .invalidHostNameAllowed(tls.allowInvalidCertificates()));
                }
                if (security.keyFile() != null) {
                    settings.credential(com.mongodb.MongoCredential.createScramSha256Credential(io.shardstore.security.KeyFile.SYSTEM_USER,
                        io.shardstore.security.KeyFile.SYSTEM_DB, security.keyFile().password().toCharArray()));
                }
                try (MongoClient client = MongoClients.create(settings.build())) {
                    for (int i = 0; i < shards; i++) {
                        client.getDatabase("admin").runCommand(new Document("addShard", shardParts.get(i).hosts()).append("name", "shard" + i));
                    }
                }
                return new LocalCluster(config, shardParts, router);
            } catch (Exception e) {
                if (router != null) {
                    router.close();
                }
                for (Part p : started) {
                    p.close();
                }
                throw e;
            }
        }

        private List<NodeOptions> memberOptions(String setName) {
            List<NodeOptions> options = new ArrayList<>();
            for (int m = 0; m < members; m++) {
                options.add(NodeOptions.inMemory(0).withReplSet(setName).withSecurity(security).withPlain(plainShards));
            }
            return options;
        }

        private Part set(LocalReplicaSet set) throws IOException {
            try {
                set.initiateAndAwaitPrimary(set.config(heartbeatIntervalMillis, electionTimeoutMillis), PRIMARY_TIMEOUT);
            } catch (IOException e) {
                set.close();
                throw e;
            }
            return new Part(set.member(0), set::close, set);
        }

        private static Part single(ConfigServer server) {
            return new Part(server.node(), server::close, null);
        }

        private static Part single(ShardNode node) {
            return new Part(node, node::close, null);
        }
    }

    public String uri() {
        return "mongodb://127.0.0.1:" + router.port();
    }

    public int routerPort() {
        return router.port();
    }

    /** The Netty transport the router runs on. */
    /** How many event loops the router runs. */
    public int routerEventLoops() {
        return router.eventLoops();
    }

    public io.shardstore.protocol.Transport routerTransport() {
        return router.transport();
    }

    /** The config server's port (a config replica set's first member). */
    public int configPort() {
        return config.node().port();
    }

    /** A connection to the config server (the config replica set, following its primary). */
    public String configUri() {
        return config.uri();
    }

    /** The config replica set, or null when the config server is a single node. */
    public LocalReplicaSet configSet() {
        return config.set();
    }

    /** The shard nodes (of a replicated shard, its first member). */
    public List<ShardNode> shards() {
        return shards.stream().map(Part::node).toList();
    }

    /** Shard {@code i}'s replica set, or null when shards are single nodes. */
    public LocalReplicaSet shardSet(int i) {
        return shards.get(i).set();
    }

    /** A connection to shard {@code i} (to check what really landed where): the node, or its set's primary. */
    public String shardUri(int i) {
        return shards.get(i).uri();
    }

    @Override
    public void close() {
        router.close();
        shards.forEach(Part::close);
        config.close();
    }
}
