package io.shardstore.node.storage;

import java.util.List;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.storage.index.IndexScanPlan;
import io.shardstore.node.storage.index.OrderedIndex;

/**
 * explain of a find (and of the find a count or distinct makes) as mongod shows it: {@code queryPlanner.winningPlan},
 * a tree of stages (IXSCAN / COLLSCAN, FETCH, SORT, SKIP, LIMIT, PROJECTION_SIMPLE, and COUNT / DISTINCT on top)
 * chosen as the node chooses them, and, when the verbosity asks for it, {@code executionStats} from running the
 * query: documents returned, index keys and documents examined. Storage lock held, as for the query itself.
 */
public final class QueryExplain {
    private final String namespace;
    private final Document filter;
    private final Document sort;
    private final Document projection;
    private final int skip;
    private final int limit;

    public QueryExplain(String namespace, Document filter, Document sort, Document projection, int skip, int limit) {
        this.namespace = namespace;
        this.filter = filter == null ? new Document() : filter;
        this.sort = sort == null || sort.isEmpty() ? null : sort;
        this.projection = projection == null || projection.isEmpty() ? null : projection;
        this.skip = Math.max(skip, 0);
        this.limit = Math.abs(limit);
    }

    /**
     * The explain reply's {@code queryPlanner} and, unless {@code verbosity} is "queryPlanner", its
     * {@code executionStats}; {@code top} is the stage a count or distinct puts over the find (null for a find).
     */
    public Document explain(MongoDatabase database, String collectionName, String verbosity, String top) {
        MongoCollection<?> found = database.resolveCollection(collectionName, false);
        NodeCollection collection = found instanceof NodeCollection c ? c : null;
        long started = System.nanoTime();
        Stage plan;
        if (collection == null) {
            plan = new Stage("EOF", 0, 0, 0);
        } else {
            IndexScanPlan ordered = IndexScanPlan.choose(collection.getIndexes(), filter, sort);
            plan = ordered != null ? indexWalk(collection, ordered) : engineScan(collection);
        }
        if ("COUNT".equals(top)) {
            // As mongod: a count returns no documents; its stage says how many it counted.
            long counted = plan.nReturned;
            plan = new Stage(top, 0, 0, 0).over(plan);
            plan.statsOnly.put("nCounted", counted);
        } else if (top != null) {
            plan = new Stage(top, plan.nReturned, 0, 0).over(plan);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        Document queryPlanner = new Document("plannerVersion", 1).append("namespace", namespace)
            .append("indexFilterSet", false).append("parsedQuery", filter)
            .append("winningPlan", plan.describe(false)).append("rejectedPlans", List.of());
        Document reply = new Document("queryPlanner", queryPlanner);
        if (!"queryPlanner".equals(verbosity)) {
            reply.append("executionStats", new Document("executionSuccess", true).append("nReturned", plan.nReturned)
                .append("executionTimeMillis", millis).append("totalKeysExamined", plan.totalKeys())
                .append("totalDocsExamined", plan.totalDocs()).append("executionStages", plan.describe(true)));
        }
        return reply;
    }

    /** IXSCAN in the sort's order, FETCH with the filter, stopping at skip + limit: what {@link NodeCollection#queryDocuments} runs. */
    private Stage indexWalk(NodeCollection collection, IndexScanPlan ordered) {
        IndexScanCursor.ScanCounters counters = new IndexScanCursor.ScanCounters();
        QueryResult result = collection.scan(ordered, filter, skip, limit, 0, projection, counters);
        int returned = result.collectDocuments().size();
        OrderedIndex index = ordered.index();
        Stage scan = new Stage("IXSCAN", counters.keysExamined, counters.keysExamined, 0)
            .with("keyPattern", keyPattern(index.getKeys())).with("indexName", index.getName())
            .with("isMultiKey", false).with("isUnique", index instanceof io.shardstore.node.storage.index.OrderedUniqueIndex)
            .with("direction", ordered.forward() ? "forward" : "backward").with("indexBounds", ordered.explainBounds());
        Stage fetch = new Stage("FETCH", returned + skip, 0, counters.docsExamined).over(scan);
        if (!filter.isEmpty()) {
            fetch.with("filter", filter);
        }
        return tail(fetch, returned, false);
    }

    /** The engine's way: an equality lookup in some index, or every document; then a sort of all matches. */
    private Stage engineScan(NodeCollection collection) {
        Stage scan = null;
        for (Index<Integer> index : collection.indexes()) {
            if (index.canHandle(filter)) {
                long keys = 0;
                for (Integer ignored : index.getPositions(filter)) {
                    keys++;
                }
                scan = new Stage("IXSCAN", keys, keys, 0).with("keyPattern", keyPattern(index.getKeys()))
                    .with("indexName", index.getName()).with("direction", "forward");
                scan = new Stage("FETCH", 0, 0, keys).over(scan);
                break;
            }
        }
        if (scan == null) {
            scan = new Stage("COLLSCAN", 0, 0, collection.count()).with("direction", "forward");
        }
        if (!filter.isEmpty()) {
            scan.with("filter", filter);
        }
        // One pass for the figures: what a sort, skip and limit return follows from the number of matches.
        long matched = collection.query(filter, null, 0, 0, null).collectDocuments().size();
        int returned = (int) Math.max(0, Math.min(limit > 0 ? limit : Long.MAX_VALUE, matched - skip));
        scan.nReturned = matched;
        Stage below = scan;
        if (sort != null) {
            below = new Stage("SORT", limit > 0 ? Math.min(matched, (long) skip + limit) : matched, 0, 0).over(scan)
                .with("sortPattern", sort).with("memLimit", 104857600).with("type", "simple");
            if (limit > 0) {
                below.with("limitAmount", skip + limit);
            }
        }
        return tail(below, returned, sort == null);
    }


    /** SKIP, LIMIT (when no SORT took it) and PROJECTION over {@code below}. */
    private Stage tail(Stage below, int returned, boolean limitStage) {
        Stage top = below;
        if (limit > 0 && limitStage) {
            top = new Stage("LIMIT", Math.min(top.nReturned, (long) skip + limit), 0, 0).over(top).with("limitAmount", limit);
        }
        if (skip > 0) {
            top = new Stage("SKIP", returned, 0, 0).over(top).with("skipAmount", skip);
        }
        if (limit > 0 && !limitStage && !"SORT".equals(below.stage)) {
            top = new Stage("LIMIT", returned, 0, 0).over(top).with("limitAmount", limit);
        }
        if (projection != null) {
            top = new Stage("PROJECTION_SIMPLE", returned, 0, 0).over(top).with("transformBy", projection);
        }
        top.nReturned = returned;
        return top;
    }

    private static Document keyPattern(List<IndexKey> keys) {
        Document pattern = new Document();
        keys.forEach(k -> pattern.put(k.getKey(), k.isAscending() ? 1 : -1));
        return pattern;
    }

    /** One stage of the plan tree. */
    private static final class Stage {
        final String stage;
        long nReturned;
        final long keysExamined;
        final long docsExamined;
        final Document fields = new Document();
        /** Shown with executionStats only. */
        final Document statsOnly = new Document();
        Stage input;

        Stage(String stage, long nReturned, long keysExamined, long docsExamined) {
            this.stage = stage;
            this.nReturned = nReturned;
            this.keysExamined = keysExamined;
            this.docsExamined = docsExamined;
        }

        Stage over(Stage below) {
            this.input = below;
            return this;
        }

        Stage with(String field, Object value) {
            fields.put(field, value);
            return this;
        }

        long totalKeys() {
            return keysExamined + (input == null ? 0 : input.totalKeys());
        }

        long totalDocs() {
            return docsExamined + (input == null ? 0 : input.totalDocs());
        }

        Document describe(boolean stats) {
            Document d = new Document("stage", stage);
            d.putAll(fields);
            if (stats) {
                d.put("nReturned", nReturned);
                d.putAll(statsOnly);
                if ("IXSCAN".equals(stage)) {
                    d.put("keysExamined", keysExamined);
                }
                if ("FETCH".equals(stage) || "COLLSCAN".equals(stage)) {
                    d.put("docsExamined", docsExamined);
                }
            }
            if (input != null) {
                d.put("inputStage", input.describe(stats));
            }
            return d;
        }
    }

    /** The filter, sort and so on of a find, count or distinct body. */
    public static QueryExplain of(String namespace, String command, Document body) {
        return switch (command) {
            case "count" -> new QueryExplain(namespace, (Document) body.get("query"), null, null,
                number(body.get("skip")), number(body.get("limit")));
            case "distinct" -> new QueryExplain(namespace, (Document) body.get("query"), null,
                new Document(String.valueOf(body.get("key")), 1), 0, 0);
            default -> new QueryExplain(namespace, (Document) body.get("filter"), (Document) body.get("sort"),
                (Document) body.get("projection"), number(body.get("skip")), number(body.get("limit")));
        };
    }

    private static int number(Object value) {
        return value instanceof Number n ? (int) Math.min(Integer.MAX_VALUE, Math.max(Integer.MIN_VALUE, n.longValue())) : 0;
    }
}
