package io.shardstore.node;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import de.bwaldvogel.mongo.bson.ObjectId;
import io.netty.channel.Channel;
import io.shardstore.node.command.CommandDispatcher;
import io.shardstore.node.command.CommandRegistry;
import io.shardstore.node.metrics.OpCounters;
import io.shardstore.node.storage.StorageEngine;

/** What the command handlers of one node share. */
public final class NodeServices {
    private final NodeOptions options;
    private final StorageEngine storage;
    private final CommandRegistry registry;
    private final CommandDispatcher dispatcher;
    private final OpCounters opCounters = new OpCounters();
    private final io.shardstore.node.metrics.Top top = new io.shardstore.node.metrics.Top();
    private final Instant started = Instant.now();
    /** topologyVersion.processId: new on every start, so drivers notice a restart. */
    private final ObjectId processId = new ObjectId();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicInteger requestIds = new AtomicInteger();
    private final AtomicLong currentConnections = new AtomicLong();
    private final AtomicLong totalConnections = new AtomicLong();
    private final io.shardstore.node.sharding.ShardingState sharding = new io.shardstore.node.sharding.ShardingState();
    private final java.util.concurrent.ExecutorService blockingExecutor = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "blocking-command");
        t.setDaemon(true);
        return t;
    });

    /** Null on a standalone node (started without --replSet). */
    private final io.shardstore.node.replication.ReplicationCoordinator replication;
    private final io.shardstore.engine.FailCommand failCommand;
    private final io.shardstore.node.command.Operations operations = new io.shardstore.node.command.Operations();
    private final io.shardstore.protocol.SessionRegistry sessions = new io.shardstore.protocol.SessionRegistry();

    /** What the shutdown command does: the process exits (bin/shard-node), or an embedded node closes. */
    private volatile Runnable shutdownAction = () -> { };

    public void onShutdown(Runnable action) {
        this.shutdownAction = action;
    }

    /** Shuts this node down, on its own thread: the command's reply is on its way meanwhile. */
    public void requestShutdown() {
        Thread t = new Thread(shutdownAction, "shutdown-command");
        t.setDaemon(false);
        t.start();
    }

    public NodeServices(NodeOptions options, StorageEngine storage, CommandRegistry registry) {
        this(options, storage, registry, null);
    }

    public NodeServices(NodeOptions options, StorageEngine storage, CommandRegistry registry,
                        io.shardstore.node.replication.ReplicationCoordinator replication) {
        this.replication = replication;
        this.options = options;
        this.storage = storage;
        this.registry = registry;
        this.dispatcher = new CommandDispatcher(registry);
        this.failCommand = options.testCommands() ? new io.shardstore.engine.FailCommand() : null;
    }

    /** The failCommand fail point, or null when test commands are off (as on a mongod without enableTestCommands). */
    public io.shardstore.engine.FailCommand failCommand() {
        return failCommand;
    }

    /** The requests running now ($currentOp). */
    public io.shardstore.node.command.Operations operations() {
        return operations;
    }

    /** The logical sessions seen ($listLocalSessions). */
    public io.shardstore.protocol.SessionRegistry sessions() {
        return sessions;
    }

    public NodeOptions options() {
        return options;
    }

    /** The replica-set member's replication, or null on a standalone node. */
    public io.shardstore.node.replication.ReplicationCoordinator replication() {
        return replication;
    }

    public StorageEngine storage() {
        return storage;
    }

    public CommandRegistry registry() {
        return registry;
    }

    public CommandDispatcher dispatcher() {
        return dispatcher;
    }

    public io.shardstore.node.metrics.Top top() {
        return top;
    }

    public OpCounters opCounters() {
        return opCounters;
    }

    public Instant started() {
        return started;
    }

    public ObjectId processId() {
        return processId;
    }

    public long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }

    public int nextRequestId() {
        return requestIds.incrementAndGet();
    }

    public void connectionOpened() {
        currentConnections.incrementAndGet();
        totalConnections.incrementAndGet();
    }

    public void connectionClosed(Channel channel) {
        currentConnections.decrementAndGet();
        // Cursors and per-connection state of the engine are released on the storage thread.
        storage.submit(() -> {
            storage.backend().handleClose(channel);
            return null;
        });
    }

    public io.shardstore.node.sharding.ShardingState sharding() {
        return sharding;
    }

    /** Where commands that wait on other servers run. */
    public java.util.concurrent.ExecutorService blockingExecutor() {
        return blockingExecutor;
    }

    public long currentConnections() {
        return currentConnections.get();
    }

    public long totalConnections() {
        return totalConnections.get();
    }
}
