package io.shardstore.config;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.bson.BsonDocument;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.node.command.Errors;
import io.shardstore.node.replication.ReplicationCoordinator;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.sharding.ConnectionStrings;

/**
 * What the config server's DDL commands share: the catalog (reached through a client of this very
 * server), clients to the shards, and one lock so DDL runs one operation at a time, as MongoDB's
 * DDL coordinators serialise per collection.
 *
 * <p>On a member of a config replica set only the primary serves the catalog: commands elsewhere get
 * NotWritablePrimary (10107), and catalog writes wait for a majority, so a failover keeps every
 * acknowledged DDL (the {@code config.*} collections replicate through the oplog like any data).
 */
public final class ConfigContext implements AutoCloseable {
    private final ReentrantLock ddlLock = new ReentrantLock();
    private final Map<String, MongoClient> shardClients = new ConcurrentHashMap<>();
    private volatile String selfUri;
    /** Null on a standalone config server. */
    private volatile ReplicationCoordinator replication;
    private volatile MongoClient self;
    private volatile ConfigCatalog catalog;

    /** Where this server listens and its replication (null when standalone); called once at start. */
    public void attach(String host, int port, ReplicationCoordinator replication) {
        this.selfUri = "mongodb://" + host + ":" + port + "/?directConnection=true";
        this.replication = replication;
    }

    /** True on a standalone config server and on the primary of a config replica set. */
    public boolean writablePrimary() {
        ReplicationCoordinator repl = replication;
        return repl == null || repl.isWritablePrimary();
    }

    /** The catalog for a command; NotWritablePrimary (10107) on a member that is not primary. */
    public ConfigCatalog catalog() {
        if (!writablePrimary()) {
            throw Errors.of(ErrorCode.NotWritablePrimary, "not primary: send config commands to the config server's primary");
        }
        return open();
    }

    /** The catalog while this server is primary (the balancer's rounds), otherwise null. */
    public ConfigCatalog catalogIfPrimary() {
        return writablePrimary() ? open() : null;
    }

    /** Connects the catalog to this server and makes sure config.version exists (a write: primary only). */
    private synchronized ConfigCatalog open() {
        if (catalog == null) {
            MongoClientSettings.Builder settings = internal(selfUri);
            if (replication != null) {
                settings.writeConcern(WriteConcern.MAJORITY);
            }
            MongoClient client = MongoClients.create(settings.build());
            try {
                ConfigCatalog opened = new ConfigCatalog(client);
                opened.ensureVersion();
                self = client;
                catalog = opened;
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
        }
        return catalog;
    }

    /** A client of a shard by its name in config.shards. */
    public MongoClient shard(ConfigCatalog catalog, String name) {
        return shardClients.computeIfAbsent(name, n -> {
            BsonDocument shard = catalog.shard(n);
            if (shard == null) {
                throw Errors.of(ErrorCode.ShardNotFound, "shard " + n + " not found");
            }
            return MongoClients.create(internal(ConnectionStrings.of(shard.getString("host").getValue())).build());
        });
    }

    /** The cluster's key (--keyFile) and TLS: this server's own clients log in as __system with the key; OFF without. */
    private volatile io.shardstore.security.SecurityOptions security = io.shardstore.security.SecurityOptions.OFF;

    public void useSecurity(io.shardstore.security.SecurityOptions security) {
        this.security = security;
    }

    /** Settings of a client this server uses as a member of the cluster (catalog, shards, migrations). */
    private MongoClientSettings.Builder internal(String uri) {
        MongoClientSettings.Builder b = settings(uri);
        io.shardstore.protocol.TlsOptions tls = security.tls();
        if (tls.outgoing()) {
            b.applyToSslSettings(ssl -> ssl.enabled(true).context(tls.jdkClientContext()).invalidHostNameAllowed(tls.allowInvalidCertificates()));
        }
        io.shardstore.security.KeyFile k = security.keyFile();
        if (k != null) {
            b.credential(com.mongodb.MongoCredential.createScramSha256Credential(io.shardstore.security.KeyFile.SYSTEM_USER,
                io.shardstore.security.KeyFile.SYSTEM_DB, k.password().toCharArray()));
        }
        return b;
    }

    /** A client for a probe that needs no login (hello), over TLS when this server's own connections use it. */
    public MongoClient probe(String uri) {
        MongoClientSettings.Builder b = settings(uri);
        io.shardstore.protocol.TlsOptions tls = security.tls();
        if (tls.outgoing()) {
            b.applyToSslSettings(ssl -> ssl.enabled(true).context(tls.jdkClientContext()).invalidHostNameAllowed(tls.allowInvalidCertificates()));
        }
        return MongoClients.create(b.build());
    }

    private static MongoClientSettings.Builder settings(String uri) {
        return MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(uri))
            .applyToClusterSettings(b -> b.serverSelectionTimeout(10, TimeUnit.SECONDS))
            .applyToSocketSettings(b -> b.connectTimeout(5, TimeUnit.SECONDS))
            .applicationName("config-server");
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
    public synchronized void close() {
        shardClients.values().forEach(MongoClient::close);
        if (self != null) {
            self.close();
        }
    }
}
