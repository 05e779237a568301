package io.shardstore.router;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

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
    /** mongos's opcounters, then the shard replies written to clients as their frames came (DirectReply). */
    private static final int INSERT = 0;
    private static final int QUERY = 1;
    private static final int UPDATE = 2;
    private static final int DELETE = 3;
    private static final int GETMORE = 4;
    private static final int COMMAND = 5;
    private static final int REPLIES_FORWARDED = 6;
    private final PerThreadCounters counters = new PerThreadCounters(7);

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
        counters.add(REPLIES_FORWARDED, 1);
    }

    /** serverStatus's shardPools.repliesForwarded. */
    public long repliesForwarded() {
        return counters.sum(REPLIES_FORWARDED);
    }

    public long totalConnections() {
        return totalConnections.get();
    }

    /** Counts a request as mongos's opcounters do: inserts per document, updates and deletes per statement. */
    public void count(String name, int statements) {
        switch (name) {
            case "insert" -> counters.add(INSERT, statements);
            case "update" -> counters.add(UPDATE, statements);
            case "delete" -> counters.add(DELETE, statements);
            case "find" -> counters.add(QUERY, 1);
            case "getMore" -> counters.add(GETMORE, 1);
            default -> counters.add(COMMAND, 1);
        }
    }

    public org.bson.BsonDocument opcounters() {
        return new org.bson.BsonDocument("insert", new org.bson.BsonInt64(counters.sum(INSERT)))
            .append("query", new org.bson.BsonInt64(counters.sum(QUERY)))
            .append("update", new org.bson.BsonInt64(counters.sum(UPDATE)))
            .append("delete", new org.bson.BsonInt64(counters.sum(DELETE)))
            .append("getmore", new org.bson.BsonInt64(counters.sum(GETMORE)))
            .append("command", new org.bson.BsonInt64(counters.sum(COMMAND)));
    }

    public List<String> argv() {
        return options.argv();
    }
}
