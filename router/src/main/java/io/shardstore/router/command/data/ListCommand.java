package io.shardstore.router.command.data;

import io.shardstore.router.engine.Docs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonValue;

import io.shardstore.router.command.Replies;
import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.Scatter;
import io.shardstore.router.frontend.RouterRequest;

/**
 * listCollections / listDatabases: asked of every shard and merged by name (a sharded collection exists on
 * several shards; a database's sizes add up over shards).
 */
public final class ListCommand implements RouterCommand {
    private final boolean databases;

    public ListCommand(boolean databases) {
        this.databases = databases;
    }

    @Override
    public String name() {
        return databases ? "listDatabases" : "listCollections";
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        BsonDocument command = request.command();
        if (!databases) {
            command.put("cursor", new BsonDocument("batchSize", new BsonInt64(Integer.MAX_VALUE)));
        }
        return exec.catalog().shards().thenCompose(shards -> Scatter.send(exec, new LinkedHashSet<>(shards.keySet()), command, null))
            .thenApply(replies -> databases ? mergeDatabases(request, replies) : mergeCollections(request, replies));
    }

    private static BsonDocument mergeCollections(RouterRequest request, Map<String, BsonDocument> replies) {
        Map<String, BsonDocument> byName = new LinkedHashMap<>();
        for (BsonDocument r : replies.values()) {
            for (BsonValue v : r.getDocument("cursor").getArray("firstBatch")) {
                byName.putIfAbsent(v.asDocument().getString("name").getValue(), v.asDocument());
            }
        }
        List<BsonDocument> all = new ArrayList<>(byName.values());
        all.sort((a, b) -> a.getString("name").getValue().compareTo(b.getString("name").getValue()));
        return Replies.cursor(request.db() + ".$cmd.listCollections", 0, all, true);
    }

    private static BsonDocument mergeDatabases(RouterRequest request, Map<String, BsonDocument> replies) {
        Map<String, BsonDocument> byName = new LinkedHashMap<>();
        long total = 0;
        for (BsonDocument r : replies.values()) {
            for (BsonValue v : r.getArray("databases", new BsonArray())) {
                BsonDocument d = v.asDocument();
                String name = d.getString("name").getValue();
                long size = d.isNumber("sizeOnDisk") ? d.getNumber("sizeOnDisk").longValue() : 0;
                total += size;
                BsonDocument merged = byName.computeIfAbsent(name, n -> Docs.copy(d));
                if (merged != d && merged.isNumber("sizeOnDisk")) {
                    merged.put("sizeOnDisk", new BsonInt64(merged.getNumber("sizeOnDisk").longValue() + size));
                    merged.put("empty", BsonBoolean.valueOf(merged.getNumber("sizeOnDisk").longValue() == 0));
                }
            }
        }
        List<BsonValue> sorted = new ArrayList<>(byName.values());
        sorted.sort((a, b) -> a.asDocument().getString("name").getValue().compareTo(b.asDocument().getString("name").getValue()));
        BsonDocument reply = new BsonDocument("databases", new BsonArray(sorted));
        if (!request.body().getBoolean("nameOnly", BsonBoolean.FALSE).getValue()) {
            reply.append("totalSize", new BsonInt64(total)).append("totalSizeMb", new BsonInt64(total / (1024 * 1024)));
        }
        return reply.append("ok", new BsonDouble(1.0));
    }
}
