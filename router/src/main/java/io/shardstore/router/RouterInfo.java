package io.shardstore.router;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.bson.types.ObjectId;

/** The router's own identity and counters (serverStatus, hello, getCmdLineOpts). */
public final class RouterInfo {
    private final RouterOptions options;
    private final io.shardstore.engine.FailCommand failCommand;
    private final io.shardstore.protocol.SessionRegistry sessions = new io.shardstore.protocol.SessionRegistry();
    private final Instant started = Instant.now();
    private final ObjectId processId = new ObjectId();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicLong currentConnections = new AtomicLong();
    private final AtomicLong totalConnections = new AtomicLong();
    private final LongAdder insert = new LongAdder();
    private final LongAdder query = new LongAdder();
    private final LongAdder update = new LongAdder();
    private final LongAdder delete = new LongAdder();
    private final LongAdder getmore = new LongAdder();
    private final LongAdder command = new LongAdder();
    /** Shard replies written to clients as their frames came (DirectReply): serverStatus's shardPools.repliesForwarded. */
    private final LongAdder repliesForwarded = new LongAdder();

    public RouterInfo(RouterOptions options) {
        this.options = options;
        this.failCommand = options.testCommands() ? new io.shardstore.engine.FailCommand() : null;
    }

    /** What the shutdown command does: the process exits (bin/router), or an embedded router closes. */
    private volatile Runnable shutdownAction = () -> { };

    public void onShutdown(Runnable action) {
        this.shutdownAction = action;
    }

    /** Shuts the router down on its own thread (never on an event loop: closing waits for the loops). */
    public void requestShutdown() {
        new Thread(shutdownAction, "shutdown-command").start();
    }

    /** The failCommand fail point, or null when test commands are off (mongos without enableTestCommands). */
    public io.shardstore.engine.FailCommand failCommand() {
        return failCommand;
    }

    /** The logical sessions clients used through this router ($listLocalSessions). */
    public io.shardstore.protocol.SessionRegistry sessions() {
        return sessions;
    }

    public RouterOptions options() {
        return options;
    }

    public Instant started() {
        return started;
    }

    public ObjectId processId() {
        return processId;
    }

    public long connectionOpened() {
        currentConnections.incrementAndGet();
        totalConnections.incrementAndGet();
        return connectionIds.incrementAndGet();
    }

    public void connectionClosed() {
        currentConnections.decrementAndGet();
    }

    public long currentConnections() {
        return currentConnections.get();
    }

    public void replyForwarded() {
        repliesForwarded.increment();
    }

    public long repliesForwarded() {
        return repliesForwarded.sum();
    }

    public long totalConnections() {
        return totalConnections.get();
    }

    /** Counts a request as mongos's opcounters do: inserts per document, updates and deletes per statement. */
    public void count(String name, int statements) {
        switch (name) {
            case "insert" -> insert.add(statements);
            case "update" -> update.add(statements);
            case "delete" -> delete.add(statements);
            case "find" -> query.increment();
            case "getMore" -> getmore.increment();
            default -> command.increment();
        }
    }

    public org.bson.BsonDocument opcounters() {
        return new org.bson.BsonDocument("insert", new org.bson.BsonInt64(insert.sum()))
            .append("query", new org.bson.BsonInt64(query.sum()))
            .append("update", new org.bson.BsonInt64(update.sum()))
            .append("delete", new org.bson.BsonInt64(delete.sum()))
            .append("getmore", new org.bson.BsonInt64(getmore.sum()))
            .append("command", new org.bson.BsonInt64(command.sum()));
    }

    public List<String> argv() {
        return options.argv();
    }
}
