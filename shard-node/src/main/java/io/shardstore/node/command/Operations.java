package io.shardstore.node.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operations a node is running now, for {@code $currentOp} (mongosh's {@code db.currentOp()}): each request from
 * dispatch until its reply, with an opid, as mongod counts them.
 */
public final class Operations {
    /** One request in flight. */
    public record Operation(int opid, CommandContext ctx, long startedNanos, long startedMillis) {
    }

    private final AtomicInteger opids = new AtomicInteger();
    private final Map<Integer, Operation> running = new ConcurrentHashMap<>();
    /** Work a node does on its own, not for a request (the config server's resharding), shown as $currentOp entries. */
    private final List<java.util.function.Supplier<List<de.bwaldvogel.mongo.bson.Document>>> background =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    public void addBackground(java.util.function.Supplier<List<de.bwaldvogel.mongo.bson.Document>> entries) {
        background.add(entries);
    }

    /** The current entries of the background work. */
    public List<de.bwaldvogel.mongo.bson.Document> backgroundEntries() {
        List<de.bwaldvogel.mongo.bson.Document> out = new ArrayList<>();
        background.forEach(b -> out.addAll(b.get()));
        return out;
    }

    Operation started(CommandContext ctx) {
        Operation op = new Operation(opids.incrementAndGet(), ctx, System.nanoTime(), System.currentTimeMillis());
        running.put(op.opid(), op);
        return op;
    }

    void finished(Operation op) {
        running.remove(op.opid());
    }

    public List<Operation> running() {
        return new ArrayList<>(running.values());
    }
}
