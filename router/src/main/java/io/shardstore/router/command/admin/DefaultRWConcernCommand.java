package io.shardstore.router.command.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.Replies;
import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.frontend.RouterRequest;

/**
 * setDefaultRWConcern / getDefaultRWConcern through the router. mongos keeps the defaults on the config servers and
 * applies them itself; here each shard's replica set keeps and applies them (the shard nodes implement the command),
 * so the router sends setDefaultRWConcern to every shard's primary and answers getDefaultRWConcern from the first
 * shard. The first error (a single-node shard answers NoReplicationEnabled) is the answer.
 */
public final class DefaultRWConcernCommand implements RouterCommand {
    private final String name;

    public DefaultRWConcernCommand(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        BsonDocument cmd = request.command();
        cmd.remove("lsid");
        cmd.remove("$clusterTime");
        return exec.catalog().shards().thenCompose(hosts -> {
            if (hosts.isEmpty()) {
                throw new RouterError(ErrorCode.ShardNotFound, "no shards: add one with addShard first");
            }
            List<String> targets = name.equals("getDefaultRWConcern") ? List.of(hosts.keySet().iterator().next())
                : new ArrayList<>(hosts.keySet());
            List<CompletableFuture<RawBsonDocument>> replies = new ArrayList<>();
            for (String shard : targets) {
                replies.add(exec.gateway().command(shard, cmd));
            }
            return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).thenApply(done -> {
                for (CompletableFuture<RawBsonDocument> r : replies) {
                    Replies.check(r.join());
                }
                return (BsonDocument) replies.get(0).join();
            });
        });
    }
}
