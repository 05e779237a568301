package io.shardstore.config;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.bson.BsonDocument;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * What the config server's DDL commands share: the catalog (reached through a client of this very
 * server), clients to the shards, and one lock so DDL runs one operation at a time, as MongoDB's
 * DDL coordinators serialise per collection.
 */
public final class ConfigContext implements AutoCloseable {
    private final ReentrantLock ddlLock = new ReentrantLock();
    private final Map<String, MongoClient> shardClients = new ConcurrentHashMap<>();
    private volatile MongoClient self;
    private volatile ConfigCatalog catalog;

    /** The catalog, connecting to this server on the address the request came in on. */
    public ConfigCatalog catalog(CommandContext ctx) {
        if (catalog == null) {
            InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
            open(local.getAddress().getHostAddress(), local.getPort());
        }
        return catalog;
    }

    /** Connects the catalog to this server's own address (done at start, so the balancer has it). */
    public synchronized void open(String host, int port) {
        if (catalog == null) {
            self = client("mongodb://" + host + ":" + port + "/?directConnection=true");
            ConfigCatalog opened = new ConfigCatalog(self);
            opened.ensureVersion();
            catalog = opened;
        }
    }

    /** The catalog once some command has opened it (the balancer starts after the first one). */
    public ConfigCatalog catalogIfOpen() {
        return catalog;
    }

    /** A client of a shard by its name in config.shards. */
    public MongoClient shard(ConfigCatalog catalog, String name) {
        return shardClients.computeIfAbsent(name, n -> {
            BsonDocument shard = catalog.shard(n);
            if (shard == null) {
                throw Errors.of(ErrorCode.ShardNotFound, "shard " + n + " not found");
            }
            return client(connectionString(shard.getString("host").getValue()));
        });
    }

    /** {@code host:port} or {@code rs/h1:p1,h2:p2} as a connection string. */
    public static String connectionString(String host) {
        int slash = host.indexOf('/');
        if (slash > 0) {
            return "mongodb://" + host.substring(slash + 1) + "/?replicaSet=" + host.substring(0, slash);
        }
        return "mongodb://" + host + "/?directConnection=true";
    }

    public static MongoClient client(String uri) {
        return MongoClients.create(MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(uri))
            .applyToClusterSettings(b -> b.serverSelectionTimeout(10, TimeUnit.SECONDS))
            .applyToSocketSettings(b -> b.connectTimeout(5, TimeUnit.SECONDS))
            .applicationName("config-server")
            .build());
    }

    /** Runs one DDL operation at a time. */
    public <T> T exclusive(java.util.function.Supplier<T> ddl) {
        ddlLock.lock();
        try {
            return ddl.get();
        } finally {
            ddlLock.unlock();
        }
    }

    @Override
    public void close() {
        shardClients.values().forEach(MongoClient::close);
        if (self != null) {
            self.close();
        }
    }
}
