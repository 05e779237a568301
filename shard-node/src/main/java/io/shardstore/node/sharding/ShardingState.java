package io.shardstore.node.sharding;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.protocol.ErrorCode;

/**
 * What this node knows of the sharded collections it holds: their shard version (set by the config
 * server), and which of them are in a migration's critical section. A request that carries an older
 * {@code shardVersion} than the node's gets StaleConfig, so the router refreshes and retries; writes
 * during a critical section wait for it to end.
 */
public final class ShardingState {
    private final Map<String, ShardVersion> versions = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> criticalSections = new ConcurrentHashMap<>();

    public void setVersion(String ns, ShardVersion version) {
        if (version == null) {
            versions.remove(ns);
        } else {
            versions.put(ns, version);
        }
    }

    public ShardVersion version(String ns) {
        return versions.get(ns);
    }

    /** Throws StaleConfig when the request's version is not this node's current one for {@code ns}. */
    public void check(String ns, Object received) {
        ShardVersion mine = versions.get(ns);
        if (mine == null) {
            return; // not told about it: unsharded here, nothing to be stale about
        }
        ShardVersion theirs = ShardVersion.parse(received);
        if (!mine.matches(theirs)) {
            throw new StaleConfigException(ns, theirs, mine);
        }
    }

    /** Completes when no critical section holds {@code ns}. */
    public CompletableFuture<Void> criticalSectionExit(String ns) {
        CompletableFuture<Void> cs = criticalSections.get(ns);
        return cs == null ? CompletableFuture.completedFuture(null) : cs;
    }

    public void enterCriticalSection(String ns) {
        criticalSections.putIfAbsent(ns, new CompletableFuture<>());
    }

    public void exitCriticalSection(String ns) {
        CompletableFuture<Void> cs = criticalSections.remove(ns);
        if (cs != null) {
            cs.complete(null);
        }
    }

    /** StaleConfig (13388), with the versions a router needs to decide how to refresh. */
    public static final class StaleConfigException extends de.bwaldvogel.mongo.exception.MongoServerError {
        private final Document extra;

        StaleConfigException(String ns, ShardVersion received, ShardVersion wanted) {
            super(ErrorCode.StaleConfig.code(), ErrorCode.StaleConfig.codeName(),
                "version mismatch detected for " + ns + ": received " + received + ", wanted " + wanted);
            this.extra = new Document("ns", ns)
                .append("vReceived", received != null ? received.toDocument() : null)
                .append("vWanted", wanted.toDocument());
        }

        public Document extra() {
            return extra;
        }
    }

}
