package io.shardstore.router.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;

import io.shardstore.router.command.Replies;
import io.shardstore.router.topology.Routing;

/** Sends one command to several shards at once (each with its shard version) and collects the ok replies by shard. */
public final class Scatter {

    private Scatter() {
    }

    public static CompletableFuture<Map<String, BsonDocument>> send(Exec exec, Set<String> shards, BsonDocument command, Routing routing) {
        Map<String, CompletableFuture<? extends BsonDocument>> calls = new LinkedHashMap<>();
        for (String shard : shards) {
            BsonDocument cmd = Docs.copy(command);
            if (routing != null) {
                cmd.put("shardVersion", routing.versionFor(shard).toShardVersion());
            }
            calls.put(shard, exec.gateway().command(shard, cmd));
        }
        return CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, BsonDocument> replies = new LinkedHashMap<>();
            calls.forEach((shard, f) -> replies.put(shard, Replies.check(f.join())));
            return replies;
        });
    }

    public static List<String> sorted(Set<String> shards) {
        List<String> list = new ArrayList<>(shards);
        list.sort(null);
        return list;
    }
}
