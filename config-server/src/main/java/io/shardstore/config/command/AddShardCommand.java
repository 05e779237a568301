package io.shardstore.config.command;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;

import com.mongodb.client.MongoClient;

import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.sharding.ConnectionStrings;

/**
 * addShard: meets the new shard (isMaster, buildInfo, whether it takes shard versions), then records it in config.shards
 * as "shardN" (or the given name), with {@code plain: true} when it is not a shard node of this project (issue 11).
 */
public final class AddShardCommand extends ConfigCommand {

    /** Wire version 8: MongoDB 4.2, the oldest server this router's requests (OP_MSG, sessions) are written for. */
    static final int MIN_WIRE_VERSION = 8;

    public AddShardCommand(ConfigContext config) {
        super(config);
    }

    @Override
    public String name() {
        return "addShard";
    }

    @Override
    protected BsonDocument execute(BsonDocument body, ConfigCatalog catalog) {
        if (!body.isString("addShard") || body.getString("addShard").getValue().isBlank()) {
            throw Errors.of(ErrorCode.BadValue, "addShard needs a host string: 'host:port' or 'replSet/host:port,...'");
        }
        String host = body.getString("addShard").getValue();
        for (BsonDocument existing : catalog.shards()) {
            if (existing.getString("host").getValue().equals(host)) {
                return new BsonDocument("shardAdded", existing.get("_id")).append("ok", new org.bson.BsonDouble(1.0));
            }
        }
        Handshake found = handshake(host);
        String name = body.isString("name") ? body.getString("name").getValue() : nextName(catalog);
        if (catalog.shard(name) != null) {
            throw Errors.of(ErrorCode.IllegalOperation, "a shard named " + name + " already exists");
        }
        BsonDocument entry = new BsonDocument("_id", new BsonString(name)).append("host", new BsonString(host))
            .append("state", new BsonInt32(1)).append("topologyTime", new org.bson.BsonTimestamp((int) (System.currentTimeMillis() / 1000), 1));
        if (found.plain()) {
            entry.append(ConfigCatalog.PLAIN, org.bson.BsonBoolean.TRUE);
        }
        entry.append("maxWireVersion", new BsonInt32(found.maxWireVersion()));
        if (found.version() != null) {
            entry.append("version", new BsonString(found.version()));
        }
        catalog.insertShard(entry);
        return new BsonDocument("shardAdded", new BsonString(name)).append("ok", new org.bson.BsonDouble(1.0));
    }

    /** What the new shard said of itself. */
    record Handshake(boolean plain, int maxWireVersion, String version) {
    }

    /**
     * Meets the new shard as the drivers do (legacy isMaster with helloOk, which every server from wire version 0 on
     * answers), checks that it is what the host string says (a replica set of that name, or a standalone), and asks
     * whether it is a shard node of this project: anything else (a real mongod, or our node with --plain) is a plain
     * shard, which is never sent a shard version.
     */
    private Handshake handshake(String host) {
        BsonDocument isMaster;
        try (MongoClient probe = config.probe(ConnectionStrings.of(host))) {
            isMaster = probe.getDatabase("admin").runCommand(new BsonDocument("isMaster", new BsonInt32(1))
                .append("helloOk", org.bson.BsonBoolean.TRUE), BsonDocument.class);
            int wire = isMaster.isNumber("maxWireVersion") ? isMaster.getNumber("maxWireVersion").intValue() : 0;
            if ("isdbgrid".equals(isMaster.getString("msg", new BsonString("")).getValue())) {
                throw Errors.of(ErrorCode.OperationFailed, "can't add a mongos (" + host + ") as a shard");
            }
            if (wire < MIN_WIRE_VERSION) {
                throw Errors.of(ErrorCode.IncompatibleServerVersion, "can't add shard " + host + ": its maxWireVersion is "
                    + wire + ", and shards need " + MIN_WIRE_VERSION + " (MongoDB 4.2) or later");
            }
            int slash = host.indexOf('/');
            String setName = isMaster.getString("setName", new BsonString("")).getValue();
            if (slash > 0 && !setName.equals(host.substring(0, slash))) {
                throw Errors.of(ErrorCode.OperationFailed, "host " + host + " does not belong to replica set " + host.substring(0, slash)
                    + (setName.isEmpty() ? ": it is not a replica set member" : ": it is a member of " + setName));
            }
            if (slash < 0 && !setName.isEmpty()) {
                throw Errors.of(ErrorCode.OperationFailed, "host " + host + " is a member of replica set " + setName
                    + ": add it as " + setName + "/" + host);
            }
            String version = null;
            try {
                version = probe.getDatabase("admin").runCommand(new BsonDocument("buildInfo", new BsonInt32(1)), BsonDocument.class)
                    .getString("version", new BsonString("")).getValue();
            } catch (com.mongodb.MongoCommandException e) {
                // buildInfo is not required of a shard: the version is only shown in config.shards
            }
            boolean ours;
            try {
                BsonDocument caps = probe.getDatabase("admin").runCommand(new BsonDocument("_shardsvrCapabilities", new BsonInt32(1)),
                    BsonDocument.class);
                ours = caps.getBoolean("shardVersions", org.bson.BsonBoolean.FALSE).getValue();
            } catch (com.mongodb.MongoCommandException e) {
                ours = false; // CommandNotFound from a mongod, NoShardingEnabled from a node started with --plain
            }
            return new Handshake(!ours, wire, version == null || version.isEmpty() ? null : version);
        } catch (de.bwaldvogel.mongo.exception.MongoServerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Errors.of(ErrorCode.OperationFailed, "couldn't connect to new shard " + host + ": " + e.getMessage());
        }
    }

    private static String nextName(ConfigCatalog catalog) {
        int n = 0;
        while (catalog.shard("shard" + n) != null) {
            n++;
        }
        return "shard" + n;
    }
}
