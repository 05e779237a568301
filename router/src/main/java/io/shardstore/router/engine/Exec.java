package io.shardstore.router.engine;

import io.shardstore.router.RouterInfo;
import io.shardstore.router.cursor.CursorRegistry;
import io.shardstore.router.frontend.ClientInfo;
import io.shardstore.router.gateway.ShardGateway;
import io.shardstore.router.topology.CatalogCache;

/**
 * What commands and plan primitives run with: shards, catalog, cursors, the merge engine, the client, the router and
 * its query analyzers (configureQueryAnalyzer's sampling, analyzeShardKey's threads).
 */
public record Exec(ShardGateway gateway, CatalogCache catalog, CursorRegistry cursors, MergeEngine merger, ClientInfo client,
                   RouterInfo router, io.shardstore.router.analysis.QueryAnalyzers analyzers) {

    public Exec forClient(ClientInfo client) {
        return new Exec(gateway, catalog, cursors, merger, client, router, analyzers);
    }
}
