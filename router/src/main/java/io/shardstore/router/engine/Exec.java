package io.shardstore.router.engine;

import io.shardstore.router.RouterInfo;
import io.shardstore.router.cursor.CursorRegistry;
import io.shardstore.router.frontend.ClientInfo;
import io.shardstore.router.gateway.ShardGateway;
import io.shardstore.router.topology.CatalogCache;

/** What commands and plan primitives run with: shards, catalog, cursors, the merge engine, the client and the router. */
public record Exec(ShardGateway gateway, CatalogCache catalog, CursorRegistry cursors, MergeEngine merger, ClientInfo client,
                   RouterInfo router) {

    public Exec forClient(ClientInfo client) {
        return new Exec(gateway, catalog, cursors, merger, client, router);
    }
}
