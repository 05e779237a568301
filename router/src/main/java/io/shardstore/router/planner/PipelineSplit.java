package io.shardstore.router.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * Splits an aggregation pipeline into the part each shard runs and the part the router runs on the
 * merged results. Streaming stages ($match, $project, $addFields, $unwind...) run on the shards; a
 * $sort is pushed down (with a following $limit, plus any $skip) and merged again; $group is split into
 * partial groups on the shards and a final group at the router ($sum, $min, $max, $avg, $count); the
 * first stage that cannot be split, and everything after it, runs at the router.
 */
public record PipelineSplit(List<BsonDocument> shardsPart, List<BsonDocument> mergerPart) {
    private static final Set<String> STREAMING = Set.of("$match", "$project", "$addFields", "$set", "$unset", "$unwind",
        "$replaceRoot", "$replaceWith", "$redact");

    public static PipelineSplit of(List<BsonDocument> pipeline) {
        List<BsonDocument> shards = new ArrayList<>();
        List<BsonDocument> merger = new ArrayList<>();
        int i = 0;
        while (i < pipeline.size() && STREAMING.contains(stageName(pipeline.get(i)))) {
            shards.add(pipeline.get(i++));
        }
        if (i < pipeline.size()) {
            BsonDocument stage = pipeline.get(i);
            String name = stageName(stage);
            if (name.equals("$sort")) {
                shards.add(stage);
                merger.add(stage);
                i++;
                long skip = 0;
                int j = i;
                if (j < pipeline.size() && stageName(pipeline.get(j)).equals("$skip")) {
                    skip = pipeline.get(j).get("$skip").asNumber().longValue();
                    j++;
                }
                if (j < pipeline.size() && stageName(pipeline.get(j)).equals("$limit")) {
                    long limit = pipeline.get(j).get("$limit").asNumber().longValue();
                    shards.add(new BsonDocument("$limit", new org.bson.BsonInt64(limit + skip)));
                }
            } else if (name.equals("$group")) {
                BsonDocument[] split = splitGroup(stage.getDocument("$group"));
                if (split != null) {
                    shards.add(split[0]);
                    merger.add(split[1]);
                    if (split.length > 2) {
                        merger.add(split[2]);
                        merger.add(split[3]);
                    }
                    i++;
                }
            } else if (name.equals("$count")) {
                String field = stage.getString("$count").getValue();
                shards.add(stage);
                merger.add(new BsonDocument("$group", new BsonDocument("_id", BsonNull.VALUE)
                    .append(field, new BsonDocument("$sum", new BsonString("$" + field)))));
                merger.add(new BsonDocument("$project", new BsonDocument("_id", new BsonInt32(0))));
                i++;
            } else if (name.equals("$limit")) {
                shards.add(stage);
            }
        }
        while (i < pipeline.size()) {
            merger.add(pipeline.get(i++));
        }
        return new PipelineSplit(shards, merger);
    }

    /** {partial $group, final $group[, $addFields, $project]} or null when an accumulator cannot be split. */
    private static BsonDocument[] splitGroup(BsonDocument group) {
        if (!group.containsKey("_id")) {
            return null; // invalid; the merge reports the engine's error (15955)
        }
        BsonDocument partial = new BsonDocument("_id", group.get("_id"));
        BsonDocument fin = new BsonDocument("_id", new BsonString("$_id"));
        BsonDocument averages = new BsonDocument();
        BsonDocument drop = new BsonDocument();
        for (Map.Entry<String, BsonValue> e : group.entrySet()) {
            String field = e.getKey();
            if (field.equals("_id")) {
                continue;
            }
            if (!e.getValue().isDocument() || e.getValue().asDocument().size() != 1) {
                return null;
            }
            BsonDocument acc = e.getValue().asDocument();
            String op = acc.getFirstKey();
            BsonValue arg = acc.get(op);
            switch (op) {
                case "$sum", "$min", "$max" -> {
                    partial.append(field, acc);
                    fin.append(field, new BsonDocument(op, new BsonString("$" + field)));
                }
                case "$avg" -> {
                    String s = field + "__sum";
                    String c = field + "__count";
                    partial.append(s, new BsonDocument("$sum", arg));
                    // Counts only numeric values, as $avg does: $sum of [x] equals x exactly when x is a number.
                    partial.append(c, new BsonDocument("$sum", new BsonDocument("$cond", new BsonArray(List.of(
                        new BsonDocument("$eq", new BsonArray(List.of(new BsonDocument("$sum", new BsonArray(List.of(arg))), arg))),
                        new BsonInt32(1), new BsonInt32(0))))));
                    // A placeholder where the client put the field, so the output keeps the client's field order;
                    // the $addFields below replaces it (in place) with the average.
                    fin.append(field, new BsonDocument("$sum", new BsonString("$" + s)));
                    fin.append(s, new BsonDocument("$sum", new BsonString("$" + s)));
                    fin.append(c, new BsonDocument("$sum", new BsonString("$" + c)));
                    averages.append(field, new BsonDocument("$cond", new BsonArray(List.of(
                        new BsonDocument("$eq", new BsonArray(List.of(new BsonString("$" + c), new BsonInt32(0)))),
                        BsonNull.VALUE,
                        new BsonDocument("$divide", new BsonArray(List.of(new BsonString("$" + s), new BsonString("$" + c))))))));
                    drop.append(s, new BsonInt32(0));
                    drop.append(c, new BsonInt32(0));
                }
                default -> {
                    return null;
                }
            }
        }
        if (averages.isEmpty()) {
            return new BsonDocument[] {new BsonDocument("$group", partial), new BsonDocument("$group", fin)};
        }
        return new BsonDocument[] {new BsonDocument("$group", partial), new BsonDocument("$group", fin),
            new BsonDocument("$addFields", averages), new BsonDocument("$project", drop)};
    }

    public static String stageName(BsonDocument stage) {
        return stage.isEmpty() ? "" : stage.getFirstKey();
    }
}
