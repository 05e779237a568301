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

    public NodeServerInitializer(NodeServices node) {
        this.node = node;
        this.connectionLimit = new ConnectionLimit(node.options().incoming());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
            .addLast("limit", connectionLimit)
            .addLast("frames", new WireFrameDecoder(node.options().incoming()))
            .addLast("requests", new RequestHandler(node));
    }
}
