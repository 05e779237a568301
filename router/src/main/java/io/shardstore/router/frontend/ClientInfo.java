package io.shardstore.router.frontend;

import java.net.SocketAddress;
import java.util.List;

import io.shardstore.protocol.Compressor;
import io.shardstore.security.AuthSession;

/** A client connection: its id (hello's connectionId), address and the compressors agreed in hello. */
public final class ClientInfo {
    private final long connectionId;
    private final SocketAddress remote;
    private volatile List<Compressor> compressors = List.of();
    private volatile String appName;
    private volatile Runnable closer = () -> { };
    private final AuthSession auth = new AuthSession();

    public ClientInfo(long connectionId, SocketAddress remote) {
        this.connectionId = connectionId;
        this.remote = remote;
    }

    public long connectionId() {
        return connectionId;
    }

    public SocketAddress remote() {
        return remote;
    }

    /** Who this connection is authenticated as, and its SASL conversation. */
    public AuthSession auth() {
        return auth;
    }

    /** Whether the client connects from this machine (the localhost exception: the first user may be created). */
    public boolean fromLocalhost() {
        return remote instanceof java.net.InetSocketAddress a && a.getAddress() != null && a.getAddress().isLoopbackAddress();
    }

    /** The client's application name from its hello ({@code client.application.name}), or null. */
    public String appName() {
        return appName;
    }

    public void appName(String name) {
        this.appName = name;
    }

    /** How to close this client's connection (the failCommand fail point's closeConnection). */
    public void closeWith(Runnable close) {
        this.closer = close;
    }

    public void close() {
        closer.run();
    }

    public List<Compressor> compressors() {
        return compressors;
    }

    public void negotiated(List<Compressor> agreed) {
        compressors = List.copyOf(agreed);
    }
}
