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
    /** One request in flight; {@code killed} is set by killOp and read by the read's yield points. */
    public record Operation(int opid, CommandContext ctx, long startedNanos, long startedMillis,
                            java.util.concurrent.atomic.AtomicBoolean killedFlag) {
        public boolean killed() {
            return killedFlag.get();
        }
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
        Operation op = new Operation(opids.incrementAndGet(), ctx, System.nanoTime(), System.currentTimeMillis(),
            new java.util.concurrent.atomic.AtomicBoolean());
        running.put(op.opid(), op);
        return op;
    }

    void finished(Operation op) {
        running.remove(op.opid());
    }

    /**
     * killOp: marks the operation killed, if it still runs. A read stops at its next yield point with Interrupted
     * (11601), as mongod's does; a write, which runs alone and briefly on the storage thread, completes.
     */
    public boolean kill(int opid) {
        Operation op = running.get(opid);
        if (op == null) {
            return false;
        }
        op.killedFlag().set(true);
        return true;
    }

    public List<Operation> running() {
        return new ArrayList<>(running.values());
    }
}
