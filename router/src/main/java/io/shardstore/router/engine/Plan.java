package io.shardstore.router.engine;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;

/** A plan primitive: how one request is carried out over the shards, and how explain describes it. */
public interface Plan {

    CompletableFuture<BsonDocument> execute();

    /** The {@code winningPlan} of explain: the stage and the shards it reaches. */
    BsonDocument explain();

    static BsonDocument describe(String stage, Collection<String> shards) {
        BsonArray list = new BsonArray();
        shards.forEach(s -> list.add(new BsonDocument("shardName", new BsonString(s))));
        return new BsonDocument("stage", new BsonString(stage)).append("shards", list);
    }
}
