package io.shardstore.node.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import de.bwaldvogel.mongo.bson.Document;

/**
 * The {@code top} command's per-namespace operation counts, as mongod keeps them: queries (find), getmore,
 * insert, update, remove and other commands on a collection. Unlike serverStatus.opcounters, which a
 * secondary's oplog fetches also move, these tell exactly which member served a client's reads of one
 * collection (the router's read-preference tests use them). Times are not kept; they are reported as 0.
 */
public final class Top {
    private static final String[] KINDS = {"queries", "getmore", "insert", "update", "remove", "commands"};

    private final Map<String, LongAdder[]> byNamespace = new ConcurrentHashMap<>();

    public void count(String db, String commandName, Document body) {
        // getMore names its collection in "collection"; the others in their first field.
        Object name = commandName.equals("getMore") ? body.get("collection") : body.get(commandName);
        if (db == null || !(name instanceof String coll) || coll.isEmpty()) {
            return;
        }
        int kind = switch (commandName) {
            case "find" -> 0;
            case "getMore" -> 1;
            case "insert" -> 2;
            case "update" -> 3;
            case "delete" -> 4;
            default -> 5;
        };
        byNamespace.computeIfAbsent(db + "." + coll, ns -> newCounters())[kind].increment();
    }

    private static LongAdder[] newCounters() {
        LongAdder[] counters = new LongAdder[KINDS.length];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new LongAdder();
        }
        return counters;
    }

    public Document toDocument() {
        Document totals = new Document("note", "all times in microseconds");
        byNamespace.forEach((ns, counters) -> {
            Document entry = new Document();
            long total = 0;
            long reads = counters[0].sum() + counters[1].sum();
            long writes = counters[2].sum() + counters[3].sum() + counters[4].sum();
            for (LongAdder c : counters) {
                total += c.sum();
            }
            entry.append("total", timed(total)).append("readLock", timed(reads)).append("writeLock", timed(writes));
            for (int i = 0; i < KINDS.length; i++) {
                entry.append(KINDS[i], timed(counters[i].sum()));
            }
            totals.append(ns, entry);
        });
        return totals;
    }

    private static Document timed(long count) {
        return new Document("time", 0L).append("count", count);
    }
}
