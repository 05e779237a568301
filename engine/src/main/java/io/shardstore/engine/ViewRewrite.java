package io.shardstore.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import de.bwaldvogel.mongo.bson.Document;

/**
 * A read of a view as the aggregation that answers it, as mongod resolves views: the view's pipeline first, then the
 * read's own filter, sort, skip, limit and projection as stages, over the collection the view is defined on. The shard
 * node runs the result on its data; the router runs it over the shards of the view's collection (which may be
 * sharded, so a shard never answers a routed read of a view alone: it hands the router the resolved view instead).
 * <p>Only the reads mongod runs on views come here: find, count, distinct and aggregate.
 */
public final class ViewRewrite {
    /** The commands a view answers; every other command on a view is mongod's 166 CommandNotSupportedOnView. */
    public static final Set<String> READS = Set.of("find", "count", "distinct", "aggregate");

    /** Fields of a read that are not about what it reads: they go unchanged onto the aggregate. */
    private static final Set<String> CARRIED = Set.of("$db", "lsid", "txnNumber", "$readPreference", "$clusterTime",
        "readConcern", "maxTimeMS", "comment", "apiVersion", "apiStrict", "apiDeprecationErrors", "let", "collation",
        "allowDiskUse", "hint", "$client");

    private ViewRewrite() {
    }

    /**
     * The aggregate on {@code viewOn} that answers {@code body} ({@code command} on a view defined by
     * {@code viewPipeline}, already resolved through any views it is defined on).
     */
    public static Document toAggregate(String command, Document body, String viewOn, List<?> viewPipeline) {
        List<Object> pipeline = new ArrayList<>(viewPipeline);
        Document aggregate = new Document("aggregate", viewOn);
        Document cursor = new Document();
        switch (command) {
            case "find" -> {
                matchStage(pipeline, body.get("filter"));
                if (body.get("sort") instanceof Document sort && !sort.isEmpty()) {
                    pipeline.add(new Document("$sort", sort));
                }
                if (body.get("skip") instanceof Number skip && skip.longValue() > 0) {
                    pipeline.add(new Document("$skip", skip));
                }
                if (body.get("limit") instanceof Number limit && limit.longValue() != 0) {
                    pipeline.add(new Document("$limit", Math.abs(limit.longValue())));
                }
                if (body.get("projection") instanceof Document projection && !projection.isEmpty()) {
                    pipeline.add(new Document("$project", projection));
                }
                if (body.get("batchSize") instanceof Number batchSize) {
                    cursor.put("batchSize", batchSize);
                }
            }
            case "count" -> {
                matchStage(pipeline, body.get("query"));
                if (body.get("skip") instanceof Number skip && skip.longValue() > 0) {
                    pipeline.add(new Document("$skip", skip));
                }
                if (body.get("limit") instanceof Number limit && limit.longValue() != 0) {
                    pipeline.add(new Document("$limit", Math.abs(limit.longValue())));
                }
                pipeline.add(new Document("$count", "n"));
            }
            case "distinct" -> {
                matchStage(pipeline, body.get("query"));
                String key = "$" + body.get("key");
                // distinct counts each element of an array as a value of its own; a missing field is no value.
                pipeline.add(new Document("$unwind", new Document("path", key).append("preserveNullAndEmptyArrays", true)));
                pipeline.add(new Document("$group", new Document("_id", null).append("values", new Document("$addToSet", key))));
            }
            case "aggregate" -> {
                if (body.get("pipeline") instanceof List<?> stages) {
                    pipeline.addAll(stages);
                }
                if (body.get("cursor") instanceof Document given) {
                    cursor = given;
                }
            }
            default -> throw new IllegalArgumentException("not a read of a view: " + command);
        }
        aggregate.put("pipeline", pipeline);
        aggregate.put("cursor", cursor);
        body.forEach((field, value) -> {
            if (CARRIED.contains(field)) {
                aggregate.put(field, value);
            }
        });
        return aggregate;
    }

    private static void matchStage(List<Object> pipeline, Object filter) {
        if (filter instanceof Document f && !f.isEmpty()) {
            pipeline.add(new Document("$match", f));
        }
    }

    /**
     * The reply to {@code command} on the view named {@code viewNs} from the aggregate's successful reply: a cursor
     * names the view (getMore then names it too, as on mongod), a count is {@code n}, a distinct {@code values}.
     */
    @SuppressWarnings("unchecked")
    public static Document fromAggregate(String command, Document aggregateReply, String viewNs) {
        Document cursor = (Document) aggregateReply.get("cursor");
        switch (command) {
            case "count", "distinct" -> {
                List<Document> batch = (List<Document>) cursor.get("firstBatch");
                Document result = batch.isEmpty() ? null : batch.get(0);
                Document reply = "count".equals(command)
                    ? new Document("n", result == null ? 0 : result.get("n"))
                    : new Document("values", result == null ? List.of() : result.get("values"));
                reply.put("ok", 1.0);
                return reply;
            }
            default -> {
                cursor.put("ns", viewNs);
                return aggregateReply;
            }
        }
    }
}
