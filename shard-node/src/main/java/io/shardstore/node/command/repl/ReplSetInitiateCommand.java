package io.shardstore.node.command.repl;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.node.replication.ReplSetConfig;
import io.shardstore.node.replication.ReplicationCoordinator;
import io.shardstore.protocol.ErrorCode;

/**
 * replSetInitiate (rs.initiate()): validates the config, installs and persists it in local.replset.config; the other
 * members receive it with the first heartbeats. Without a config, a one-member set of this node, as mongod makes.
 */
public final class ReplSetInitiateCommand implements Command {

    @Override
    public String name() {
        return "replSetInitiate";
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        ReplicationCoordinator repl = Replication.of(ctx);
        if (repl.config() != null) {
            throw Errors.of(ErrorCode.AlreadyInitialized, "already initialized");
        }
        Document raw;
        // mongosh's rs.initiate() without a config sends {replSetInitiate: {}}: that also means "just this node".
        if (ctx.body().get("replSetInitiate") instanceof Document given && !given.isEmpty()) {
            raw = given;
        } else {
            String host = "localhost:" + ((java.net.InetSocketAddress) ctx.channel().localAddress()).getPort();
            raw = new Document("_id", repl.setName()).append("version", 1)
                .append("members", List.of(new Document("_id", 0).append("host", host)));
        }
        ReplSetConfig cfg = ReplSetConfig.parse(raw);
        if (!cfg.name().equals(repl.setName())) {
            throw Errors.of(ErrorCode.InvalidReplicaSetConfig, "Attempting to initiate a replica set with name " + cfg.name()
                + ", but command line reports " + repl.setName() + "; rejecting");
        }
        if (repl.findSelf(cfg) < 0) {
            throw Errors.of(ErrorCode.InvalidReplicaSetConfig, "No host described in new configuration with {version: "
                + cfg.version() + ", term: " + cfg.term() + "} for replica set " + cfg.name() + " maps to this node");
        }
        repl.initiate(cfg.withTerm(Math.max(cfg.term(), 0)));
        return new Document("ok", 1.0);
    }
}
