package io.shardstore.router.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.router.command.RouterError;
import io.shardstore.router.topology.Routing;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * dropIndexes on a sharded collection, as mongod 6.0+ does it: {@code "*"} drops every index but {@code _id_} and the
 * indexes that can serve the shard key, and a drop that would leave the collection without any index for its shard
 * key is refused ({@code CannotDropShardKeyIndex}, 370) before any shard drops anything. The nodes do not know the
 * shard key, so the router reads the index list from one owning shard and sends the shards the names to drop.
 */
public record DropIndexesKeepingShardKey(Exec exec, Set<String> shards, BsonDocument command, ShardKeyPattern key, Routing routing)
    implements Plan {
    static final int CANNOT_DROP_SHARD_KEY_INDEX = 370;

    @Override
    public CompletableFuture<BsonDocument> execute() {
        String first = shards.iterator().next();
        BsonDocument list = new BsonDocument("listIndexes", command.get(command.getFirstKey())).append("$db", command.get("$db"));
        return Scatter.send(exec, Set.of(first), list, routing).thenCompose(replies -> {
            List<BsonDocument> indexes = new ArrayList<>();
            for (BsonValue v : replies.get(first).getDocument("cursor").getArray("firstBatch")) {
                indexes.add(v.asDocument());
            }
            BsonValue which = command.get("index");
            if (which != null && which.isString() && which.asString().getValue().equals("*")) {
                List<BsonValue> names = new ArrayList<>();
                for (BsonDocument index : indexes) {
                    String name = index.getString("name").getValue();
                    if (!name.equals("_id_") && !key.isServedBy(index)) {
                        names.add(new BsonString(name));
                    }
                }
                if (names.isEmpty()) {
                    return CompletableFuture.completedFuture(new BsonDocument("nIndexesWas", new BsonInt32(indexes.size()))
                        .append("msg", new BsonString("non-_id indexes and non-shard key indexes dropped for collection"))
                        .append("ok", new org.bson.BsonDouble(1)));
                }
                BsonDocument named = Docs.copy(command);
                named.put("index", new BsonArray(names));
                return new Broadcast(exec, shards, named, routing).execute().thenApply(reply -> {
                    BsonDocument shown = Docs.copy(reply); // the shard's reply is raw, which cannot change
                    shown.put("msg", new BsonString("non-_id indexes and non-shard key indexes dropped for collection"));
                    return shown;
                });
            }
            Set<String> dropped = named(which, indexes);
            boolean dropsOne = false;
            boolean keepsOne = false;
            for (BsonDocument index : indexes) {
                String name = index.getString("name").getValue();
                if (key.isServedBy(index)) {
                    // _id_ is never dropped (the shards refuse it, 72), so it always remains to serve an _id key.
                    if (dropped.contains(name) && !name.equals("_id_")) {
                        dropsOne = true;
                    } else {
                        keepsOne = true;
                    }
                }
            }
            if (dropsOne && !keepsOne) {
                throw new RouterError(CANNOT_DROP_SHARD_KEY_INDEX, "CannotDropShardKeyIndex",
                    "Cannot drop the only compatible index for this collection's shard key");
            }
            return new Broadcast(exec, shards, command, routing).execute();
        });
    }

    /** The names the request drops: a name, a list of names, or the key of one index; unknown ones are the shards' to refuse. */
    private static Set<String> named(BsonValue which, List<BsonDocument> indexes) {
        Set<String> names = new LinkedHashSet<>();
        if (which == null) {
            return names;
        }
        if (which.isString()) {
            names.add(which.asString().getValue());
        } else if (which.isArray()) {
            for (BsonValue v : which.asArray()) {
                if (v.isString()) {
                    names.add(v.asString().getValue());
                }
            }
        } else if (which.isDocument()) {
            for (BsonDocument index : indexes) {
                if (which.asDocument().equals(index.getDocument("key", new BsonDocument()))) {
                    names.add(index.getString("name").getValue());
                }
            }
        }
        return names;
    }

    @Override
    public BsonDocument explain() {
        return Plan.describe("SHARD_BROADCAST", shards);
    }
}
