package io.shardstore.node.server;

import java.util.List;

import io.netty.channel.Channel;
import io.shardstore.protocol.Compressor;
import io.shardstore.security.AuthSession;

/** Per-connection state: mongod's connection id and the compressors agreed in hello. */
public final class ClientConnection {
    private final Channel channel;
    private final long connectionId;
    private volatile List<Compressor> compressors = List.of();
    private volatile String appName;
    private final AuthSession auth = new AuthSession();

    public ClientConnection(Channel channel, long connectionId) {
        this.channel = channel;
        this.connectionId = connectionId;
    }

    /** Who this connection is authenticated as, and its SASL conversation. */
    public AuthSession auth() {
        return auth;
    }

    /** Whether the client connects from this machine (the localhost exception: the first user may be created). */
    public boolean fromLocalhost() {
        return channel != null && channel.remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
            && a.getAddress().isLoopbackAddress();
    }

    public Channel channel() {
        return channel;
    }

    public long connectionId() {
        return connectionId;
    }

    public List<Compressor> compressors() {
        return compressors;
    }

    /** The client's application name from its hello ({@code client.application.name}), or null. */
    public String appName() {
        return appName;
    }

    public void appName(String name) {
        this.appName = name;
    }

    public void negotiated(List<Compressor> compressors) {
        this.compressors = List.copyOf(compressors);
    }
}
