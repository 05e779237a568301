package io.shardstore.node.command.shardsvr;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/**
 * {@code _shardsvrCapabilities: 1}: what addShard asks a new shard to tell a shard node of this project (which takes
 * shard versions, critical sections and migration captures) from any other server. A real mongod answers
 * CommandNotFound and a node started with --plain NoShardingEnabled (193, like every {@code _shardsvr*} command):
 * either way the config server records a plain shard, to which the router never sends a shard version.
 */
public final class ShardCapabilitiesCommand implements Command {

    @Override
    public String name() {
        return "_shardsvrCapabilities";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        return new Document("shardVersions", true).append("migrations", true).append("ok", 1.0);
    }
}
