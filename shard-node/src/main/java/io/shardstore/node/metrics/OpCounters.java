package io.shardstore.node.metrics;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import de.bwaldvogel.mongo.bson.Document;

/**
 * serverStatus.opcounters, counted as mongod counts them: inserts per document, updates and deletes per
 * statement, query per find, getmore per getMore, command for everything else. Tests read these
 * on each node to see which shards a routed request really reached.
 */
public final class OpCounters {
    private final LongAdder insert = new LongAdder();
    private final LongAdder query = new LongAdder();
    private final LongAdder update = new LongAdder();
    private final LongAdder delete = new LongAdder();
    private final LongAdder getmore = new LongAdder();
    private final LongAdder command = new LongAdder();

    public void count(String commandName, Document body) {
        switch (commandName) {
            case "insert" -> insert.add(sizeOf(body.get("documents")));
            case "update" -> update.add(sizeOf(body.get("updates")));
            case "delete" -> delete.add(sizeOf(body.get("deletes")));
            case "find" -> query.increment();
            case "getMore" -> getmore.increment();
            default -> command.increment();
        }
    }

    private static long sizeOf(Object list) {
        return list instanceof List<?> l ? l.size() : 0;
    }

    public Document toDocument() {
        return new Document("insert", insert.sum())
            .append("query", query.sum())
            .append("update", update.sum())
            .append("delete", delete.sum())
            .append("getmore", getmore.sum())
            .append("command", command.sum());
    }
}
