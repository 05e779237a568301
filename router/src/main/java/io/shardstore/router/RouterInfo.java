package io.shardstore.router;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.bson.types.ObjectId;

/** The router's own identity and counters (serverStatus, hello, getCmdLineOpts). */
public final class RouterInfo {
    private final RouterOptions options;
    private final Instant started = Instant.now();
    private final ObjectId processId = new ObjectId();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicLong currentConnections = new AtomicLong();
    private final AtomicLong totalConnections = new AtomicLong();
    private final LongAdder commands = new LongAdder();

    public RouterInfo(RouterOptions options) {
        this.options = options;
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

    public long totalConnections() {
        return totalConnections.get();
    }

    public void commandRun() {
        commands.increment();
    }

    public long commands() {
        return commands.sum();
    }

    public List<String> argv() {
        return options.argv();
    }
}
