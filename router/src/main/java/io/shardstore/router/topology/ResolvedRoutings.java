package io.shardstore.router.topology;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routing of each collection a request already resolved, by database then collection name: the request
 * path looks a collection up with the two names it has, without building {@code db.coll}. The catalog clears
 * it whenever what it was made from changes.
 */
final class ResolvedRoutings {
    private final Map<String, Map<String, Resolved>> byDb = new ConcurrentHashMap<>();

    /** A completed routing, the catalog generation it was made in, and when it must be looked up again. */
    record Resolved(CompletableFuture<Routing> routing, long generation, long expiresAt) {
    }

    Resolved get(String db, String coll) {
        Map<String, Resolved> colls = byDb.get(db);
        return colls == null ? null : colls.get(coll);
    }

    void put(String db, String coll, Resolved resolved) {
        byDb.computeIfAbsent(db, d -> new ConcurrentHashMap<>()).put(coll, resolved);
    }

    void clear() {
        byDb.clear();
    }
}
