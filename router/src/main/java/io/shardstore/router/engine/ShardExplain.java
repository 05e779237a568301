package io.shardstore.router.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.shardstore.router.command.Replies;

/**
 * What each shard says of its part of an explained find, count or distinct, joined as mongos joins it: the router's
 * plan stage keeps its {@code shards} list, each entry completed with that shard's {@code winningPlan}; with the
 * executionStats verbosities, {@code executionStats} sums the shards' figures and lists each shard's stages.
 * A multi-shard find is explained as each shard runs it (skip folded into the limit, as the router sends it).
 */
public final class ShardExplain {
    /** The commands a shard node explains. */
    public static final Set<String> EXPLAINED = Set.of("find", "count", "distinct");
    private static final Set<String> NOT_FOR_SHARDS = Set.of("$db", "lsid", "$clusterTime", "$readPreference", "txnNumber",
        "autocommit", "startTransaction", "readConcern");

    private ShardExplain() {
    }

    /** Completes {@code reply} (queryPlanner.winningPlan with a {@code shards} list) with the shards' explain. */
    public static CompletableFuture<BsonDocument> join(Exec exec, String db, BsonDocument inner, String verbosity, BsonDocument reply) {
        BsonDocument winningPlan = reply.getDocument("queryPlanner").getDocument("winningPlan");
        if (!winningPlan.isArray("shards") || !EXPLAINED.contains(inner.getFirstKey())) {
            return CompletableFuture.completedFuture(reply);
        }
        List<String> shards = new ArrayList<>();
        winningPlan.getArray("shards").forEach(s -> shards.add(s.asDocument().getString("shardName").getValue()));
        BsonDocument forShard = new BsonDocument();
        inner.forEach((k, v) -> {
            if (!NOT_FOR_SHARDS.contains(k)) {
                forShard.put(k, v);
            }
        });
        if (shards.size() > 1 && forShard.isNumber("skip") && inner.getFirstKey().equals("find")) {
            long skip = forShard.remove("skip").asNumber().longValue();
            if (forShard.isNumber("limit") && forShard.getNumber("limit").longValue() > 0) {
                forShard.put("limit", new BsonInt64(forShard.getNumber("limit").longValue() + skip));
            }
        }
        Map<String, CompletableFuture<? extends BsonDocument>> calls = new LinkedHashMap<>();
        for (String shard : shards) {
            calls.put(shard, exec.gateway().command(shard, new BsonDocument("explain", forShard)
                .append("verbosity", new BsonString(verbosity)).append("$db", new BsonString(db))));
        }
        return CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            BsonArray planned = new BsonArray();
            BsonArray executed = new BsonArray();
            long returned = 0;
            long keys = 0;
            long docs = 0;
            long millis = 0;
            boolean stats = false;
            for (Map.Entry<String, CompletableFuture<? extends BsonDocument>> call : calls.entrySet()) {
                BsonDocument shardReply = Replies.check(call.getValue().join());
                BsonDocument planner = shardReply.getDocument("queryPlanner");
                BsonDocument entry = new BsonDocument("shardName", new BsonString(call.getKey()));
                for (String field : List.of("namespace", "indexFilterSet", "parsedQuery", "winningPlan", "rejectedPlans")) {
                    if (planner.containsKey(field)) {
                        entry.put(field, planner.get(field));
                    }
                }
                if (shardReply.containsKey("serverInfo")) {
                    entry.put("serverInfo", shardReply.get("serverInfo"));
                }
                planned.add(entry);
                if (shardReply.isDocument("executionStats")) {
                    stats = true;
                    BsonDocument s = shardReply.getDocument("executionStats");
                    returned += number(s.get("nReturned"));
                    keys += number(s.get("totalKeysExamined"));
                    docs += number(s.get("totalDocsExamined"));
                    millis = Math.max(millis, number(s.get("executionTimeMillis")));
                    executed.add(new BsonDocument("shardName", new BsonString(call.getKey()))
                        .append("executionSuccess", BsonBoolean.TRUE).append("nReturned", s.get("nReturned"))
                        .append("executionTimeMillis", s.get("executionTimeMillis"))
                        .append("totalKeysExamined", s.get("totalKeysExamined"))
                        .append("totalDocsExamined", s.get("totalDocsExamined"))
                        .append("executionStages", s.get("executionStages")));
                }
            }
            winningPlan.put("shards", planned);
            if (stats) {
                reply.put("executionStats", new BsonDocument("nReturned", new BsonInt64(returned))
                    .append("executionTimeMillis", new BsonInt64(millis))
                    .append("totalKeysExamined", new BsonInt64(keys)).append("totalDocsExamined", new BsonInt64(docs))
                    .append("executionStages", new BsonDocument("stage", winningPlan.get("stage", new BsonString("SHARD_MERGE")))
                        .append("nReturned", new BsonInt64(returned)).append("executionTimeMillis", new BsonInt64(millis))
                        .append("totalKeysExamined", new BsonInt64(keys)).append("totalDocsExamined", new BsonInt64(docs))
                        .append("shards", executed)));
            }
            return reply;
        });
    }

    private static long number(BsonValue v) {
        return v != null && v.isNumber() ? v.asNumber().longValue() : 0;
    }

}
