package io.shardstore.router.frontend;

import java.net.SocketAddress;
import java.util.List;

import io.shardstore.protocol.Compressor;

/** A client connection: its id (hello's connectionId), address and the compressors agreed in hello. */
public final class ClientInfo {
    private final long connectionId;
    private final SocketAddress remote;
    private volatile List<Compressor> compressors = List.of();

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

    public List<Compressor> compressors() {
        return compressors;
    }

    public void negotiated(List<Compressor> agreed) {
        compressors = List.copyOf(agreed);
    }
}
