package io.shardstore.router.engine;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.router.topology.Routing;

/**
 * The reads of a single-document write placed by finding its document first ({@link WithoutShardKey},
 * {@link FindAndModifyWithoutShardKey}): the first match on a shard, and whether a document still matches.
 */
final class FindFirst {

    private FindFirst() {
    }

    /**
     * A find of the first document matching {@code filter} in {@code sort} order (null: any), returning its
     * {@code _id} and sort fields; {@code let} (null: none) binds the variables the filter may use.
     */
    static BsonDocument command(String ns, BsonDocument filter, BsonDocument sort, BsonValue let) {
        BsonDocument projection = new BsonDocument("_id", new BsonInt32(1));
        if (sort != null) {
            sort.keySet().forEach(k -> projection.put(k, new BsonInt32(1)));
        }
        BsonDocument find = new BsonDocument("find", new BsonString(ns.substring(ns.indexOf('.') + 1)))
            .append("filter", filter).append("projection", projection).append("limit", new BsonInt32(1))
            .append("singleBatch", BsonBoolean.TRUE).append("$db", new BsonString(ns.substring(0, ns.indexOf('.'))));
        if (sort != null) {
            find.put("sort", sort);
        }
        if (let != null) {
            find.put("let", let);
        }
        return find;
    }

    /** Whether the document with {@code id} on {@code shard} still matches {@code filter}. */
    static CompletableFuture<Boolean> stillMatches(Exec exec, Routing routing, String ns, String shard, BsonDocument filter,
                                                   BsonValue id, BsonValue let) {
        BsonDocument pinned = new BsonDocument("$and", new BsonArray(List.of(filter, new BsonDocument("_id", id))));
        return Scatter.send(exec, Set.of(shard), command(ns, pinned, null, let), routing)
            .thenApply(r -> !r.get(shard).getDocument("cursor").getArray("firstBatch").isEmpty());
    }
}
