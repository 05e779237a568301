package io.shardstore.node.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.shardstore.node.NodeServices;
import io.shardstore.protocol.ConnectionLimit;
import io.shardstore.protocol.WireFrameDecoder;

/** The whole pipeline of a client connection: cut frames, then handle requests. */
public final class NodeServerInitializer extends ChannelInitializer<SocketChannel> {
    private final NodeServices node;
    private final ConnectionLimit connectionLimit;
    /** This node's TLS server context (built once), or null with TLS disabled. */
    private final io.netty.handler.ssl.SslContext tls;

    public NodeServerInitializer(NodeServices node) {
        this.node = node;
        this.connectionLimit = new ConnectionLimit(node.options().incoming());
        this.tls = node.options().security().tls().enabled() ? node.options().security().tls().serverContext() : null;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
            .addLast("limit", connectionLimit)
            .addLast("frames", new WireFrameDecoder(node.options().incoming()))
            .addLast("requests", new RequestHandler(node));
        io.shardstore.protocol.TlsHandlers.install(ch, node.options().security().tls(), tls);
    }
}
