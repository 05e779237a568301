package io.shardstore.node.replication;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import io.shardstore.node.NodeOptions;
import io.shardstore.node.storage.StorageEngine;

/**
 * A replica-set member's replication state: config, member state, term and vote, what it knows of the other
 * members, and the parts that act on it ({@link Heartbeats}, {@link Election}, {@link SyncPuller},
 * {@link WriteConcernTracker}). State is guarded by this object's monitor, which is never held across network
 * I/O or while waiting on the storage thread.
 */
public final class ReplicationCoordinator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicationCoordinator.class);
    /**
     * Where the config is kept (journaled with --dbpath). mongod keeps it in local.system.replset, but the engine
     * refuses writes to system.* collections and leaves them out of checkpoints, so it lives beside the vote.
     */
    static final String CONFIG_NS = "local.replset.config";

    private final NodeOptions options;
    private final StorageEngine storage;
    private final OplogStore oplog;
    private final OplogCursors oplogCursors = new OplogCursors();
    private final PriorityTakeover takeoverRule = new PriorityTakeover();
    /** A won election's catch-up in progress, or null. */
    private CatchUp.Phase catchUp;
    private final OplogWriter writer;
    private final Instant started = Instant.now();
    final ScheduledExecutorService timers = Executors.newScheduledThreadPool(8, daemon("repl-timer"));
    final ExecutorService network = Executors.newCachedThreadPool(daemon("repl-net"));
    private final WriteConcernTracker writeConcern = new WriteConcernTracker(this);
    private final RetryableWrites retryable = new RetryableWrites();
    private final Heartbeats heartbeats = new Heartbeats(this);
    private final Election election = new Election(this);
    private final SyncPuller puller;

    private ReplSetConfig config;
    private int selfId = -1;
    private MemberState state = MemberState.STARTUP;
    private long term;
    private long votedTerm = -1;
    private int votedFor = -1;
    private final Map<Integer, PeerState> peers = new HashMap<>();
    private Integer primaryId;
    private ObjectId electionId;
    private Instant electionTime;
    private long lastPrimarySeenNanos = System.nanoTime();
    /**
     * When a primary was last heard of. Unlike {@link #lastPrimarySeenNanos}, which a lost election also resets (to
     * wait a timeout before standing again), only a primary moves it: sync-source chaining waits on it.
     */
    private long primaryHeardNanos = System.nanoTime();
    /** The term in which this member last became primary (0: never); see {@link #writerTerm()}. */
    private volatile long primaryTerm;
    private long electionOffsetMillis;
    private long noElectionBeforeMillis;
    private boolean candidate;
    private boolean shuttingDown;
    private long electionAttempt;
    private String syncSource = "";
    private String infoMessage = "";
    /** Set once an oplog entry could not be applied: this member applies nothing more (stopApplying). */
    private boolean applyStopped;
    private boolean initiating;
    private int syncSourceId = -1;
    private long topologyCounter;
    private CompletableFuture<Void> topologyChange = new CompletableFuture<>();
    private ScheduledFuture<?> tick;
    private long tickEveryNanos;
    private long lastTickNanos = System.nanoTime();
    /** After this process was stalled: no step-down or election before then (the peers' timestamps are stale). */
    private long stallGraceUntilNanos;
    /** The port the node listens on (known after binding, when started on port 0). */
    private volatile int port;

    private ReplicationCoordinator(NodeOptions options, StorageEngine storage) {
        this.options = options;
        this.storage = storage;
        this.oplog = new OplogStore(options.oplogSizeBytes(), storage.oplogDurability());
        this.writer = new OplogWriter(oplog, this::writerTerm);
        this.puller = new SyncPuller(this);
        this.port = options.port();
    }

    /** Called once the server is bound: members recognise themselves in a config by this port. */
    public void boundTo(int actualPort) {
        this.port = actualPort;
    }

    /** Starts replication for a node run with --replSet: reads a config kept from an earlier run, if any. */
    /** A client to another member; with a key file it logs in as __system first. */
    PeerClient peer(String host, int timeoutMillis) {
        return new PeerClient(host, timeoutMillis, options.security().keyFile(), options.security().tls());
    }

    public static ReplicationCoordinator start(NodeOptions options, StorageEngine storage) {
        ReplicationCoordinator c = new ReplicationCoordinator(options, storage);
        storage.submit(() -> {
            c.oplog.load(storage.recoveredOplog().entries()); // the oplog kept in --dbpath, if any
            storage.recoveredOplog().release();
            c.writer.advanceTo(c.oplog.last().ts());
            storage.listenWith(c.writer);
            return null;
        }).join();
        LastVote vote = storage.submit(() -> LastVote.load(storage)).join();
        synchronized (c) {
            c.term = Math.max(c.term, Math.max(c.oplog.last().term(), vote.term()));
            c.votedTerm = vote.term();
            c.votedFor = vote.memberId();
        }
        Document saved = storage.submit(() -> storage.findById(CONFIG_NS, options.replSet())).join();
        if (saved != null) {
            try {
                c.install(ReplSetConfig.parse(saved), false);
            } catch (RuntimeException e) {
                log.warn("ignoring the stored replica set config: {}", e.getMessage());
            }
        }
        c.puller.start();
        return c;
    }

    // ---- accessors -------------------------------------------------------------------------------------------

    public String setName() {
        return options.replSet();
    }

    StorageEngine storage() {
        return storage;
    }

    /** --dbpath, or null when the data is in memory only. */
    java.nio.file.Path dbPath() {
        return options.dbPath();
    }

    public OplogStore oplog() {
        return oplog;
    }

    /** The open tailable cursors on local.oplog.rs. */
    public OplogCursors oplogCursors() {
        return oplogCursors;
    }

    OplogWriter writer() {
        return writer;
    }

    public RetryableWrites retryable() {
        return retryable;
    }

    /**
     * After the statements of a retryable write ran on the primary (storage thread): remembers each executed
     * statement's result and logs them, so a retry on this or any later primary applies none of them again.
     */
    public void recordRetryableWrite(RetryableWrites.Key key, java.util.List<Document> results) {
        retryable.remember(key, results);
        writer.record("n", "", RetryableWrites.entryBody(key, results));
    }

    /** The w a write gets when it names none and no default was set: "majority", or 1 with too many arbiters. */
    public Object implicitDefaultWriteConcernW() {
        return WriteConcernTracker.implicitDefaultW(config());
    }

    public WriteConcernTracker writeConcern() {
        return writeConcern;
    }

    public Instant started() {
        return started;
    }

    public synchronized ReplSetConfig config() {
        return config;
    }

    public synchronized int selfId() {
        return selfId;
    }

    public synchronized MemberConfig self() {
        return config == null ? null : config.member(selfId);
    }

    public synchronized MemberState state() {
        return state;
    }

    public synchronized long term() {
        return term;
    }

    public synchronized boolean isWritablePrimary() {
        return state == MemberState.PRIMARY;
    }

    public synchronized ObjectId electionId() {
        return electionId;
    }

    public synchronized Instant electionTime() {
        return electionTime;
    }

    public synchronized String primaryHost() {
        if (config == null || primaryId == null) {
            return null;
        }
        MemberConfig m = config.member(primaryId);
        return m == null ? null : m.host();
    }

    public synchronized String syncSource() {
        return syncSource;
    }

    public synchronized int syncSourceId() {
        return syncSourceId;
    }

    public OpTime lastApplied() {
        return oplog.last();
    }

    synchronized PeerState peer(int id) {
        return peers.get(id);
    }

    /** A copy of the peers' states for reports. */
    synchronized Map<Integer, PeerState> peersSnapshot() {
        Map<Integer, PeerState> copy = new HashMap<>();
        peers.forEach((id, p) -> {
            PeerState c = new PeerState();
            c.state = p.state;
            c.healthy = p.healthy;
            c.term = p.term;
            c.applied = p.applied;
            c.appliedWall = p.appliedWall;
            c.syncSource = p.syncSource;
            c.lastHeartbeat = p.lastHeartbeat;
            c.lastHeartbeatRecv = p.lastHeartbeatRecv;
            c.upSince = p.upSince;
            c.pingMillis = p.pingMillis;
            c.lastError = p.lastError;
            copy.put(id, c);
        });
        return copy;
    }

    /** Applied optimes by member _id, this member included. */
    synchronized Map<Integer, OpTime> positions() {
        Map<Integer, OpTime> out = new HashMap<>();
        peers.forEach((id, p) -> out.put(id, p.applied));
        if (selfId >= 0) {
            out.put(selfId, oplog.last());
        }
        return out;
    }

    public synchronized long topologyCounter() {
        return topologyCounter;
    }

    /** Completes at the next change of state, primary or config (wakes awaitable hellos). */
    public synchronized CompletableFuture<Void> topologyChange() {
        return topologyChange;
    }

    private void bumpTopology() { // holds the monitor
        topologyCounter++;
        CompletableFuture<Void> done = topologyChange;
        topologyChange = new CompletableFuture<>();
        network.execute(() -> done.complete(null));
    }

    // ---- config ----------------------------------------------------------------------------------------------

    /** Whether {@code host} names this node (same port, a local name). */
    public boolean isSelf(String host) {
        int colon = host.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        String name = host.substring(0, colon);
        int hostPort;
        try {
            hostPort = Integer.parseInt(host.substring(colon + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (hostPort != this.port) {
            return false;
        }
        if (name.equals("localhost") || name.equals("127.0.0.1") || name.equals(options.bindIp())) {
            return true;
        }
        try {
            return name.equals(java.net.InetAddress.getLocalHost().getHostName());
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The _id of the member of {@code cfg} that is this node, or -1. */
    public int findSelf(ReplSetConfig cfg) {
        for (MemberConfig m : cfg.members()) {
            if (isSelf(m.host())) {
                return m.id();
            }
        }
        return -1;
    }

    /** Takes a new config (replSetInitiate, or a newer one from a heartbeat) and persists it when asked. */
    public void install(ReplSetConfig cfg, boolean persist) {
        synchronized (this) {
            config = cfg;
            selfId = findSelf(cfg);
            term = Math.max(term, cfg.term());
            Map<Integer, PeerState> old = new HashMap<>(peers);
            peers.clear();
            for (MemberConfig m : cfg.members()) {
                if (m.id() != selfId) {
                    peers.put(m.id(), old.getOrDefault(m.id(), new PeerState()));
                }
            }
            MemberConfig self = cfg.member(selfId);
            if (self == null) {
                state = MemberState.REMOVED;
            } else if (self.arbiterOnly()) {
                state = MemberState.ARBITER;
            } else if (state == MemberState.STARTUP && !initiating && oplog.last().ts() == 0) {
                state = MemberState.STARTUP2; // a member with nothing yet: initial sync first (InitialSync)
            } else if (state != MemberState.PRIMARY && !state.busySyncing()) {
                state = MemberState.SECONDARY;
            }
            lastPrimarySeenNanos = System.nanoTime();
            electionOffsetMillis = randomOffset(cfg);
            bumpTopology();
            if (tick == null) {
                long every = Math.max(10, Math.min(cfg.heartbeatIntervalMillis() / 2, 100));
                tickEveryNanos = TimeUnit.MILLISECONDS.toNanos(every);
                lastTickNanos = System.nanoTime();
                tick = timers.scheduleWithFixedDelay(this::safeTick, every, every, TimeUnit.MILLISECONDS);
            }
        }
        log.info("replica set {} config version {} installed; this member is {}", cfg.name(), cfg.version(), state());
        heartbeats.restart(cfg);
        if (persist) {
            Document doc = cfg.toDocument();
            storage.submit(() -> {
                Document reply = storage.runAsSystem("local", "update", new Document("update", "replset.config").append("updates",
                    List.of(new Document("q", new Document("_id", cfg.name())).append("u", doc).append("upsert", true))));
                if (reply.containsKey("writeErrors")) {
                    log.error("could not store the replica set config: {}", reply.get("writeErrors"));
                }
                return null;
            });
        }
    }

    /** replSetInitiate on this member: it starts the set with the data it has, the others clone it. */
    public void initiate(ReplSetConfig cfg) {
        synchronized (this) {
            initiating = true;
        }
        install(cfg, true);
    }

    private static long randomOffset(ReplSetConfig cfg) {
        return ThreadLocalRandom.current().nextLong(Math.max(1, cfg.electionTimeoutMillis() * 15 / 100));
    }

    /**
     * replSetReconfig: a new config with a higher version, installed here and spread by heartbeats. Only the primary
     * takes it, unless {@code force}. Returns null, or why not.
     */
    public String reconfig(ReplSetConfig next, boolean force) {
        synchronized (this) {
            if (config == null) {
                return "no replset config has been received";
            }
            if (!force && state != MemberState.PRIMARY) {
                return "replSetReconfig should only be run on a writable PRIMARY. Current state " + state.name() + ";";
            }
            if (!next.name().equals(config.name())) {
                return "New and old configurations differ in replica set name; old was " + config.name() + ", and new is " + next.name();
            }
            if (next.version() <= config.version() && !force) {
                return "New config version " + next.version() + " must be greater than old version " + config.version();
            }
            if (findSelf(next) < 0) {
                return "this member is not in the new config";
            }
        }
        install(next.withTerm(term()), true);
        return null;
    }

    // ---- heartbeats ------------------------------------------------------------------------------------------

    synchronized Document heartbeatRequest() {
        Document req = new Document("replSetHeartbeat", setName()).append("configVersion", config.version())
            .append("term", term).append("fromId", selfId).append("state", state.code())
            .append("appliedOpTime", oplog.last().toDocument()).append("config", config.toDocument());
        MemberConfig self = config.member(selfId);
        if (self != null) {
            req.append("from", self.host());
        }
        if (catchUp != null) {
            req.append("catchingUpInTerm", catchUp.term());
        }
        return req;
    }

    /**
     * A member that won an election and is catching up before it takes writes (mongod is PRIMARY then, in drain mode)
     * says so in its heartbeats: the others treat it as a primary for their election timers. Without it, a catch-up as
     * long as the election timeout let another member stand right after the winner took over and depose it, and the
     * first writes of the new term were rolled back (RollbackRetryableWriteTest, FailoverTest, under load).
     */
    private void heardCatchingUpWinner(Document heartbeat) { // holds the monitor
        if (heartbeat.get("catchingUpInTerm") instanceof Number t && t.longValue() >= term) {
            lastPrimarySeenNanos = System.nanoTime();
        }
    }

    /** Answers a heartbeat from another member. */
    public Document onHeartbeat(Document req) {
        ReplSetConfig adopt = null;
        if (req.get("config") instanceof Document cfgDoc) {
            int version = req.get("configVersion") instanceof Number n ? n.intValue() : -1;
            synchronized (this) {
                if (config == null || version > config.version()) {
                    try {
                        ReplSetConfig cfg = ReplSetConfig.parse(cfgDoc);
                        if (cfg.name().equals(setName()) && findSelf(cfg) >= 0) {
                            adopt = cfg;
                        }
                    } catch (RuntimeException e) {
                        log.warn("ignoring a config from a heartbeat: {}", e.getMessage());
                    }
                }
            }
        }
        if (adopt != null) {
            install(adopt, true);
        }
        boolean positionsChanged = false;
        Document reply;
        synchronized (this) {
            long theirTerm = req.get("term") instanceof Number n ? n.longValue() : -1;
            updateTerm(theirTerm);
            if (config != null && req.get("fromId") instanceof Number from && peers.get(from.intValue()) != null) {
                PeerState p = peers.get(from.intValue());
                p.lastHeartbeatRecv = Instant.now();
                p.lastRecvNanos = System.nanoTime();
                OpTime applied = OpTime.from(req.get("appliedOpTime"));
                if (applied.compareTo(p.applied) > 0) {
                    p.applied = applied;
                    p.appliedWall = applied.wall();
                    positionsChanged = true;
                }
                if (req.get("state") instanceof Number s && s.intValue() == MemberState.PRIMARY.code() && theirTerm >= term) {
                    seePrimary(from.intValue());
                }
                heardCatchingUpWinner(req);
            }
            reply = new Document("ok", 1.0).append("set", setName()).append("state", state.code()).append("term", term)
                .append("configVersion", config == null ? -2 : config.version())
                .append("appliedOpTime", oplog.last().toDocument()).append("durableOpTime", oplog.last().toDocument())
                .append("syncingTo", syncSource);
            if (electionId != null) {
                reply.append("electionId", electionId);
            }
            if (catchUp != null) {
                reply.append("catchingUpInTerm", catchUp.term());
            }
            int theirVersion = req.get("configVersion") instanceof Number n ? n.intValue() : -1;
            if (config != null && theirVersion < config.version()) {
                reply.append("config", config.toDocument());
            }
        }
        if (positionsChanged) {
            writeConcern.recheck();
        }
        return reply;
    }

    void onHeartbeatReply(int memberId, Document reply, long rttMillis) {
        ReplSetConfig adopt = null;
        if (reply.get("config") instanceof Document cfgDoc) {
            try {
                ReplSetConfig cfg = ReplSetConfig.parse(cfgDoc);
                synchronized (this) {
                    if (cfg.name().equals(setName()) && config != null && cfg.version() > config.version() && findSelf(cfg) >= 0) {
                        adopt = cfg;
                    }
                }
            } catch (RuntimeException e) {
                log.warn("ignoring a config from a heartbeat reply: {}", e.getMessage());
            }
        }
        if (adopt != null) {
            install(adopt, true);
        }
        boolean positionsChanged = false;
        synchronized (this) {
            PeerState p = peers.get(memberId);
            if (p == null) {
                return;
            }
            if (!(reply.get("ok") instanceof Number ok) || ok.doubleValue() != 1.0) {
                markDown(p, String.valueOf(reply.get("errmsg")));
                return;
            }
            Instant now = Instant.now();
            if (!p.healthy) {
                p.upSince = now;
            }
            p.healthy = true;
            p.lastHeartbeat = now;
            p.lastOkNanos = System.nanoTime();
            p.pingMillis = rttMillis;
            p.lastError = "";
            MemberState before = p.state;
            p.state = reply.get("state") instanceof Number s ? MemberState.of(s.intValue()) : MemberState.UNKNOWN;
            p.term = reply.get("term") instanceof Number t ? t.longValue() : -1;
            p.syncSource = reply.get("syncingTo") instanceof String s ? s : "";
            OpTime applied = OpTime.from(reply.get("appliedOpTime"));
            if (applied.compareTo(p.applied) > 0) {
                p.applied = applied;
                p.appliedWall = applied.wall();
                positionsChanged = true;
            }
            updateTerm(p.term);
            heardCatchingUpWinner(reply);
            if (p.state == MemberState.PRIMARY && p.term >= term) {
                seePrimary(memberId);
            } else if (primaryId != null && primaryId == memberId) {
                primaryId = null;
                bumpTopology();
            }
            if (before != p.state) {
                bumpTopology();
            }
        }
        if (positionsChanged) {
            writeConcern.recheck();
        }
    }

    synchronized void onHeartbeatFailure(int memberId, String error) {
        PeerState p = peers.get(memberId);
        if (p != null) {
            markDown(p, error);
        }
    }

    private void markDown(PeerState p, String error) {
        p.lastHeartbeat = Instant.now();
        p.lastError = error;
        if (p.healthy || p.state != MemberState.DOWN) {
            p.healthy = false;
            p.state = MemberState.DOWN;
            p.upSince = null;
            bumpTopology();
        }
    }

    private void seePrimary(int memberId) { // holds the monitor
        lastPrimarySeenNanos = System.nanoTime();
        primaryHeardNanos = lastPrimarySeenNanos;
        if (state == MemberState.PRIMARY && memberId != selfId) {
            stepDownLocked("another member is primary in a term no lower than ours");
        }
        if (primaryId == null || primaryId != memberId) {
            primaryId = memberId;
            bumpTopology();
        }
    }

    /** Adopts a higher term seen anywhere; a primary steps down. Holds the monitor. */
    void updateTerm(long newTerm) {
        if (newTerm > term) {
            term = newTerm;
            candidate = false;
            if (state == MemberState.PRIMARY) {
                stepDownLocked("saw a higher term " + newTerm);
            }
        }
    }

    // ---- timer: elections and step-down ------------------------------------------------------------------------

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.error("replication tick failed", e);
        }
    }

    private void tick() {
        boolean stand = false;
        boolean takeover = false;
        long caughtUpInTerm = -1;
        synchronized (this) {
            if (config == null || selfId < 0) {
                return;
            }
            long now = System.nanoTime();
            if (catchUp != null) {
                if (term != catchUp.term() || state != MemberState.SECONDARY) {
                    catchUp = null;
                } else if (CatchUp.over(catchUp, oplog.last(), now)) {
                    caughtUpInTerm = catchUp.term();
                    catchUp = null;
                }
            }
        }
        if (caughtUpInTerm >= 0) {
            becomePrimary(caughtUpInTerm);
            return;
        }
        synchronized (this) {
            if (catchUp != null) {
                return; // no election of its own while catching up
            }
            long now = System.nanoTime();
            long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.electionTimeoutMillis());
            if (stalled(now)) {
                // This process did not run for a while (a GC pause, or no CPU on a loaded machine): the silence it
                // sees is its own, so the others get heartbeats' worth of time to be heard again before it judges.
                stallGraceUntilNanos = now + 2 * TimeUnit.MILLISECONDS.toNanos(config.heartbeatIntervalMillis());
                log.info("this member was stalled for {} ms: no step-down or election for two heartbeats",
                    TimeUnit.NANOSECONDS.toMillis(now - lastTickNanos));
            }
            lastTickNanos = now;
            if (now - stallGraceUntilNanos < 0) {
                return;
            }
            if (state == MemberState.PRIMARY) {
                int seen = config.member(selfId).voter() ? 1 : 0;
                for (MemberConfig m : config.members()) {
                    PeerState p = peers.get(m.id());
                    if (p != null && m.voter() && (now - p.lastOkNanos < timeoutNanos || now - p.lastRecvNanos < timeoutNanos)) {
                        seen++;
                    }
                }
                if (seen < config.majority()) {
                    stepDownLocked("cannot see a majority of the set");
                }
                return;
            }
            if (primaryId != null && primaryId != selfId) {
                PeerState p = peers.get(primaryId);
                if (p == null || now - p.lastOkNanos > timeoutNanos) {
                    primaryId = null;
                    bumpTopology();
                }
            }
            MemberConfig self = config.member(selfId);
            if (state == MemberState.SECONDARY && self.electable() && !candidate && primaryId == null
                && System.currentTimeMillis() >= noElectionBeforeMillis
                && now - lastPrimarySeenNanos > timeoutNanos + TimeUnit.MILLISECONDS.toNanos(electionOffsetMillis)) {
                stand = true;
            }
            if (state == MemberState.SECONDARY && !candidate && primaryId != null && primaryId != selfId
                && System.currentTimeMillis() >= noElectionBeforeMillis) {
                PeerState p = peers.get(primaryId);
                takeover = takeoverRule.due(config, self, config.member(primaryId), p == null ? OpTime.NULL : p.applied,
                    oplog.last(), now);
            } else {
                takeoverRule.reset();
            }
        }
        if (stand) {
            standForElection("election timeout");
        } else if (takeover) {
            standForElection("priority takeover", true);
        }
    }

    /** Whether the tick ran late by more than half an election timeout. Holds the monitor. */
    private boolean stalled(long now) {
        long late = now - lastTickNanos - tickEveryNanos;
        return tickEveryNanos > 0 && late > TimeUnit.MILLISECONDS.toNanos(config.electionTimeoutMillis()) / 2;
    }

    /**
     * Starts an election now if this member may stand: first a dry run (term + 1, nobody's term changes), and only if a
     * majority would vote, the real one. {@code stepUp}: asked by a stepping-down primary (voters then ignore that they
     * still see it).
     */
    public boolean standForElection(String why, boolean stepUp) {
        Election.Ballot ballot;
        synchronized (this) {
            if (config == null || state != MemberState.SECONDARY || candidate || !config.member(selfId).electable()) {
                return false;
            }
            candidate = true;
            electionOffsetMillis = randomOffset(config);
            ballot = new Election.Ballot(config, selfId, term + 1, oplog.last(), true, stepUp, ++electionAttempt);
        }
        log.debug("dry-run election for term {} ({})", ballot.term(), why);
        election.run(ballot);
        return true;
    }

    public boolean standForElection(String why) {
        return standForElection(why, false);
    }

    void onElectionWon(Election.Ballot ballot) {
        if (ballot.dryRun()) {
            Election.Ballot real;
            synchronized (this) {
                if (!candidate || electionAttempt != ballot.attempt() || state != MemberState.SECONDARY || term + 1 != ballot.term()) {
                    candidate = false;
                    return;
                }
                term++;
                votedTerm = term;
                votedFor = selfId;
                real = new Election.Ballot(config, selfId, term, oplog.last(), false, ballot.stepUp(), ballot.attempt());
            }
            if (!storeVote(new LastVote(real.term(), real.config().indexOf(real.selfId()), real.selfId()))) {
                onElectionLost(real);
                return;
            }
            log.info("standing for election in term {}", real.term());
            election.run(real);
            return;
        }
        long wonTerm = ballot.term();
        CatchUp.Phase phase;
        synchronized (this) {
            if (!candidate || electionAttempt != ballot.attempt() || term != wonTerm || state != MemberState.SECONDARY) {
                return;
            }
            candidate = false;
            phase = CatchUp.plan(config, peers, oplog.last(), wonTerm, System.nanoTime());
            catchUp = phase;
            lastPrimarySeenNanos = System.nanoTime();
        }
        if (phase != null) {
            log.info("won the election in term {}: catching up to {} from member {} before taking writes", wonTerm,
                phase.target(), phase.sourceId());
            return; // tick() ends the catch-up
        }
        becomePrimary(wonTerm);
    }

    /**
     * The term this member's own oplog entries carry: the term in which it last became primary, not the newest term it
     * has heard of. A primary that hears of a higher term steps down, but a write already running on its storage
     * thread still logs its entry; tagged with the new term, that entry had the same (ts, term) as the new primary's
     * first entry, so the two histories looked alike and the divergence went unseen: an acknowledged write was lost
     * (fault test run 8). Before it is ever primary (the set's initiation), the current term.
     */
    private long writerTerm() {
        long mine = primaryTerm;
        return mine > 0 ? mine : term();
    }

    /** After winning {@code wonTerm} (and catching up): primary, unless the term moved on meanwhile. */
    private void becomePrimary(long wonTerm) {
        synchronized (this) {
            if (term != wonTerm || state != MemberState.SECONDARY) {
                return;
            }
            primaryTerm = wonTerm;
            state = MemberState.PRIMARY;
            primaryId = selfId;
            electionId = electionIdOf(wonTerm);
            electionTime = Instant.now();
            syncSource = "";
            syncSourceId = -1;
            bumpTopology();
        }
        log.info("won the election in term {}: this member is primary", wonTerm);
        // After any batch of received entries still being applied: the storage thread orders them.
        storage.submit(() -> {
            if (isWritablePrimary()) {
                writer.noop("new primary");
            }
            return null;
        });
    }

    synchronized void onElectionLost(Election.Ballot ballot) {
        if (candidate && electionAttempt == ballot.attempt()) {
            candidate = false;
            lastPrimarySeenNanos = System.nanoTime();
        }
    }

    private static ObjectId electionIdOf(long term) {
        byte[] b = new byte[12];
        b[0] = 0x7f;
        b[1] = (byte) 0xff;
        b[2] = (byte) 0xff;
        b[3] = (byte) 0xff;
        for (int i = 0; i < 8; i++) {
            b[4 + i] = (byte) (term >>> (56 - 8 * i));
        }
        return new ObjectId(b);
    }

    /**
     * Answers replSetRequestVotes: one vote per term, only for a candidate at least as up to date as this member. A
     * granted vote is durable (local.replset.election) before the answer leaves; if it cannot be stored, the answer is
     * a refusal (the vote stays spent in memory, which is the safe side).
     */
    public Document onRequestVotes(Document req) {
        Document reply = decideVote(req);
        if (Boolean.TRUE.equals(reply.get("voteGranted")) && !Boolean.TRUE.equals(req.get("dryRun"))) {
            long candidateTerm = ((Number) req.get("term")).longValue();
            int index = ((Number) req.get("candidateIndex")).intValue();
            LastVote vote;
            synchronized (this) {
                vote = new LastVote(candidateTerm, index, config.members().get(index).id());
            }
            if (!storeVote(vote)) {
                reply.put("voteGranted", false);
                reply.put("reason", "could not store the vote durably");
            }
        }
        return reply;
    }

    /** Stores a vote durably; false if that failed. Never call with the monitor held. */
    private boolean storeVote(LastVote vote) {
        try {
            vote.store(storage).get(10, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            log.error("could not store the vote {}: {}", vote, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private synchronized Document decideVote(Document req) {
        long candidateTerm = req.get("term") instanceof Number n ? n.longValue() : -1;
        boolean dryRun = Boolean.TRUE.equals(req.get("dryRun"));
        int candidateIndex = req.get("candidateIndex") instanceof Number n ? n.intValue() : -1;
        OpTime candidateOpTime = OpTime.from(req.get("lastAppliedOpTime"));
        int configVersion = req.get("configVersion") instanceof Number n ? n.intValue() : -1;
        boolean stepUp = Boolean.TRUE.equals(req.get("stepUp"));
        String denied = null;
        if (config != null && !stepUp && seesHealthyPrimary(candidateIndex)) {
            // Leader stickiness: a member that still hears from a primary neither votes nor lets the term move.
            return new Document("term", term).append("voteGranted", false)
                .append("reason", "this member still sees a healthy primary").append("ok", 1.0);
        }
        if (!dryRun) {
            updateTerm(candidateTerm);
        }
        if (config == null) {
            denied = "this member has no config";
        } else if (!setName().equals(req.get("setName"))) {
            denied = "candidate's set name differs from mine";
        } else if (candidateTerm < term) {
            denied = "candidate's term (" + candidateTerm + ") is lower than mine (" + term + ")";
        } else if (configVersion < config.version()) {
            denied = "candidate's config version (" + configVersion + ") is older than mine (" + config.version() + ")";
        } else if (candidateIndex < 0 || candidateIndex >= config.members().size()) {
            denied = "candidate index " + candidateIndex + " is not in my config";
        } else if (!dryRun && votedTerm == candidateTerm && votedFor != config.members().get(candidateIndex).id()) {
            denied = "already voted for another candidate in this term";
        } else if (oplog.last().compareTo(candidateOpTime) > 0) {
            denied = "candidate's data is staler than mine";
        } else if (state == MemberState.PRIMARY) {
            denied = "this member is primary";
        }
        if (denied == null && !dryRun) {
            votedTerm = candidateTerm;
            votedFor = config.members().get(candidateIndex).id();
            lastPrimarySeenNanos = System.nanoTime();
        }
        return new Document("term", term).append("voteGranted", denied == null).append("reason", denied == null ? "" : denied)
            .append("ok", 1.0);
    }

    /**
     * Whether a primary other than the candidate was heard from within the election timeout and its last heartbeat
     * did not fail. Holds the monitor.
     */
    private boolean seesHealthyPrimary(int candidateIndex) {
        if (state == MemberState.PRIMARY) {
            return true;
        }
        if (primaryId == null || candidateIndex < 0 || candidateIndex >= config.members().size()
            || config.members().get(candidateIndex).id() == primaryId) {
            return false;
        }
        long now = System.nanoTime();
        if (stalled(now) || now - stallGraceUntilNanos < 0) {
            return true; // just back from a stall: what it last heard is stale either way, so it keeps to the primary
        }
        PeerState primary = peers.get(primaryId);
        if (primary != null && !primary.healthy) {
            // A killed primary refuses connections: the next heartbeat knows it, well before the election timeout.
            // Waiting for the timeout here too made the first candidate's dry run fail and cost a second timeout.
            return false;
        }
        return System.nanoTime() - lastPrimarySeenNanos < TimeUnit.MILLISECONDS.toNanos(config.electionTimeoutMillis());
    }

    // ---- step down and freeze ------------------------------------------------------------------------------------

    private void stepDownLocked(String why) {
        log.info("stepping down from primary: {}", why);
        state = MemberState.SECONDARY;
        primaryId = null;
        electionId = null;
        candidate = false;
        lastPrimarySeenNanos = System.nanoTime();
        bumpTopology();
        network.execute(writeConcern::failAllSteppedDown);
    }

    /** replSetStepDown's last step: no longer primary, and no election for {@code secs}. */
    public synchronized boolean stepDown(long secs, String why) {
        if (state != MemberState.PRIMARY) {
            return false;
        }
        noElectionBeforeMillis = System.currentTimeMillis() + secs * 1000;
        stepDownLocked(why);
        return true;
    }

    /** replSetFreeze: no election for {@code secs} (0 unfreezes). */
    public synchronized void freeze(long secs) {
        noElectionBeforeMillis = secs == 0 ? 0 : System.currentTimeMillis() + secs * 1000;
        if (secs == 0) {
            lastPrimarySeenNanos = System.nanoTime();
        }
    }

    /** Sends replSetStepUp to {@code member} (after a step-down), without waiting for the answer. */
    public void askToStandForElection(MemberConfig member) {
        network.execute(() -> {
            try (PeerClient client = peer(member.host(), 2_000)) {
                client.run("admin", new Document("replSetStepUp", 1));
            } catch (java.io.IOException | RuntimeException e) {
                log.info("replSetStepUp to {} failed: {}", member.host(), e.toString());
            }
        });
    }

    /** An electable secondary whose applied optime has reached {@code target}, or null. */
    public synchronized MemberConfig caughtUpElectable(OpTime target) {
        if (config == null) {
            return null;
        }
        for (MemberConfig m : config.members()) {
            PeerState p = peers.get(m.id());
            if (p != null && m.electable() && p.healthy && p.applied.atLeast(target)) {
                return m;
            }
        }
        return null;
    }

    // ---- syncing -------------------------------------------------------------------------------------------------

    /** The member to pull from (the primary), or null when this member should not pull now. */
    synchronized MemberConfig syncTarget() {
        if (catchUp != null && state == MemberState.SECONDARY) {
            return config.member(catchUp.sourceId()); // a new primary catching up
        }
        if (config == null || (state != MemberState.SECONDARY && state != MemberState.STARTUP2)
            || primaryId != null && primaryId == selfId) {
            return null;
        }
        if (primaryId != null) {
            return config.member(primaryId);
        }
        // Only once an election had its time and none won: right after a step-down, the member ahead may be the
        // deposed primary with writes no one else has, which a quick election is about to make a rollback.
        if (System.nanoTime() - primaryHeardNanos < 2 * TimeUnit.MILLISECONDS.toNanos(config.electionTimeoutMillis())) {
            return null;
        }
        return furthestAheadSecondary();
    }

    /**
     * With no primary for two election timeouts: the healthy secondary whose oplog is furthest ahead of this member's
     * (chaining, as mongod allows by default), or null. Without it, a member left behind when the primary died could
     * never catch up while the only member ahead of it may not stand (frozen after a step-down, or priority 0): it
     * would deny the lagging member's votes as staler than itself, and the set would stay without a primary
     * (ProcessFailoverTest: a primary killed right after a step-down froze the previous one). Delayed members and
     * arbiters are not sources.
     */
    private MemberConfig furthestAheadSecondary() {
        OpTime mine = lastApplied();
        MemberConfig best = null;
        OpTime bestApplied = mine;
        for (MemberConfig m : config.members()) {
            PeerState p = peers.get(m.id());
            if (m.id() == selfId || m.arbiterOnly() || m.secondaryDelaySecs() > 0 || p == null || !p.healthy
                || p.state != MemberState.SECONDARY) {
                continue;
            }
            if (p.applied.compareTo(bestApplied) > 0) {
                best = m;
                bestApplied = p.applied;
            }
        }
        return best;
    }

    /** A fetch from the sync source succeeded: when that is the primary, it is alive, as a heartbeat would say. */
    synchronized void fetchedFrom(MemberConfig source) {
        if (primaryId != null && primaryId == source.id() && state == MemberState.SECONDARY) {
            lastPrimarySeenNanos = System.nanoTime();
            primaryHeardNanos = lastPrimarySeenNanos;
            PeerState p = peers.get(source.id());
            if (p != null && p.healthy) {
                p.lastOkNanos = lastPrimarySeenNanos;
            }
        }
    }

    synchronized void syncingFrom(MemberConfig source) {
        String host = source == null ? "" : source.host();
        syncSource = host;
        syncSourceId = source == null ? -1 : source.id();
    }

    /** Tests only: stops (or resumes) this member's fetching from its sync source, as a partition would. */
    public void pauseSyncForTesting(boolean paused) {
        puller.pause(paused);
    }

    /** Enters (true) or leaves (false) the ROLLBACK state; only a secondary rolls back. */
    synchronized boolean rollbackState(boolean entering) {
        if (entering) {
            if (state != MemberState.SECONDARY) {
                return false;
            }
            state = MemberState.ROLLBACK;
        } else if (state == MemberState.ROLLBACK) {
            state = MemberState.SECONDARY;
        }
        bumpTopology();
        return true;
    }

    /** Whether received entries may be applied now (storage thread, before each batch); also in an initial sync. */
    synchronized boolean mayApply() {
        return state == MemberState.SECONDARY || state == MemberState.STARTUP2;
    }

    /**
     * Moves this member from {@code from} to {@code to} (initial sync: SECONDARY - STARTUP2 - SECONDARY; too stale:
     * SECONDARY - RECOVERING) with the infoMessage rs.status() shows; false if it is not in {@code from}.
     */
    synchronized boolean transition(MemberState from, MemberState to, String info) {
        if (state != from) {
            return false;
        }
        state = to;
        infoMessage = info;
        bumpTopology();
        return true;
    }

    /**
     * This member met an oplog entry it cannot apply: it stops replicating for good (until a restart, which meets the
     * entry again, or a resync), as mongod's fatal assertion ends its process. It leaves SECONDARY (or an initial
     * sync's STARTUP2) for RECOVERING, so it serves no reads, stands in no election and is never a sync source, and
     * rs.status() shows {@code info}. Stopping is the only choice that cannot diverge: skipping the entry would leave
     * this member silently different from the primary. False if it was already stopped (or in another state).
     */
    synchronized boolean stopApplying(String info) {
        if (applyStopped || (state != MemberState.SECONDARY && state != MemberState.STARTUP2)) {
            return false;
        }
        applyStopped = true;
        state = MemberState.RECOVERING;
        infoMessage = info;
        bumpTopology();
        return true;
    }

    /** Whether {@link #stopApplying} ended replication on this member. */
    synchronized boolean applyStopped() {
        return applyStopped;
    }

    /** Why this member is not (yet) a secondary, for rs.status(); empty when nothing is wrong. */
    public synchronized String infoMessage() {
        return infoMessage;
    }

    /**
     * replSetUpdatePosition from a member syncing from this one, in the reporter's {@code term} (-1 if not sent). A
     * higher term is adopted first: a primary deposed while it was stopped or cut off steps down (its waiting writes
     * fail with 189) before the report could count for them. The reporter, which voted in the new term, may have
     * applied the deposed primary's later entries too; they are not on the new primary's history and will be rolled
     * back, so they must not acknowledge a write (found by the fault test: a w: "majority" insert acknowledged and lost).
     */
    public void onUpdatePosition(List<?> optimes, long reporterTerm) {
        boolean changed = false;
        synchronized (this) {
            updateTerm(reporterTerm);
            for (Object o : optimes) {
                if (o instanceof Document d && d.get("memberId") instanceof Number id) {
                    PeerState p = peers.get(id.intValue());
                    OpTime applied = OpTime.from(d.get("appliedOpTime"));
                    if (p != null) {
                        p.lastRecvNanos = System.nanoTime(); // hearing from a member, as a heartbeat would
                    }
                    if (p != null && applied.compareTo(p.applied) > 0) {
                        p.applied = applied;
                        p.appliedWall = applied.wall();
                        changed = true;
                    }
                }
            }
        }
        if (changed) {
            writeConcern.recheck();
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Whether close() has begun: heartbeats are then refused, so the others see this member down at once. */
    public synchronized boolean shuttingDown() {
        return shuttingDown;
    }

    @Override
    public void close() {
        synchronized (this) {
            shuttingDown = true;
            if (state == MemberState.PRIMARY) {
                stepDownLocked("shutting down");
            }
        }
        puller.stop();
        heartbeats.stop();
        timers.shutdownNow();
        network.shutdownNow();
        writeConcern.failAllSteppedDown();
    }

    List<MemberConfig> otherMembers() {
        ReplSetConfig cfg = config();
        int self = selfId();
        List<MemberConfig> out = new ArrayList<>();
        if (cfg != null) {
            for (MemberConfig m : cfg.members()) {
                if (m.id() != self) {
                    out.add(m);
                }
            }
        }
        return out;
    }
}
